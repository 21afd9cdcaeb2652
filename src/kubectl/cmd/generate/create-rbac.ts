/** `kubectl create role|clusterrole|rolebinding|clusterrolebinding|ingress|token`. */
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy } from '../../cmdutil';
import { discoverOnce, resolveResource } from '../../discovery';
import { parseGoDuration } from '../../flags';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { generatorFlags, goJson, KINDS, kindPath, nameArg, objectMeta, OUTPUT_FLAGS, printerFor, runGenerator, statusMessage, type Obj } from './shared';
import { toYaml } from '../../printers';

const RBAC = 'rbac.authorization.k8s.io';
const VALID_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];
const NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];
const SPECIAL_VERBS: Record<string, [string, string][]> = {
  use: [['policy', 'podsecuritypolicies'], ['extensions', 'podsecuritypolicies']],
  bind: [[RBAC, 'roles'], [RBAC, 'clusterroles']],
  escalate: [[RBAC, 'roles'], [RBAC, 'clusterroles']],
  impersonate: [['', 'users'], ['', 'serviceaccounts'], ['', 'groups'], ['authentication.k8s.io', 'userextras']],
};

interface ResourceOption {
  resource: string;
  group: string;
  subresource: string;
}

function uniq(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}

function completeVerbs(args: ParsedArgs): string[] {
  const verbs: string[] = [];
  for (const v of args.flags.get('verb') as string[]) {
    if (v === '*') return ['*'];
    if (!verbs.includes(v)) verbs.push(v);
  }
  return verbs;
}

function completeResources(args: ParsedArgs): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const r of args.flags.get('resource') as string[]) {
    const [head, sub] = r.split(/\/(.*)/s) as [string, string | undefined];
    const dot = head.indexOf('.');
    const option = { resource: dot >= 0 ? head.slice(0, dot) : head, group: dot >= 0 ? head.slice(dot + 1) : '', subresource: sub ?? '' };
    if (option.resource === '*' && dot < 0 && sub === undefined) return [option];
    out.push(option);
  }
  return out;
}

/** The server's name and group for a resource as typed (`rs.apps` → replicasets/apps). */
async function mapResource(ctx: KubectlContext, r: ResourceOption): Promise<{ resource: string; group: string } | undefined> {
  const found = resolveResource(await discoverOnce(ctx), r.group ? `${r.resource}.${r.group}` : r.resource);
  return found ? { resource: found.name, group: found.group } : undefined;
}

async function validateResources(ctx: KubectlContext, verbs: string[], resources: ResourceOption[]): Promise<void> {
  for (const r of resources) {
    if (!r.resource) throw new CommandError('error: resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return;
    const mapped = await mapResource(ctx, r);
    const target = mapped ?? { resource: r.resource, group: r.group };
    let matchedSpecial = false;
    for (const v of verbs) {
      const special = SPECIAL_VERBS[v];
      if (!special) continue;
      if (!special.some(([g, res]) => g === target.group && res === target.resource))
        throw new CommandError(`error: can not perform '${v}' on '${target.resource}' in group '${target.group}'`);
      matchedSpecial = true;
    }
    if (!mapped && !matchedSpecial) throw new CommandError(`the server doesn't have a resource type "${r.resource}"`);
  }
}

async function policyRules(ctx: KubectlContext, verbs: string[], resources: ResourceOption[], resourceNames: string[], nonResourceURLs: string[]): Promise<Obj[]> {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const mapped = (await mapResource(ctx, r)) ?? { resource: r.resource, group: r.group };
    const name = r.subresource ? `${mapped.resource}/${r.subresource}` : mapped.resource;
    const list = byGroup.get(mapped.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(mapped.group, list);
  }
  const rules: Obj[] = [];
  for (const group of [...byGroup.keys()].sort()) {
    const rule: Obj = { verbs, apiGroups: [group], resources: byGroup.get(group) };
    if (resourceNames.length) rule.resourceNames = resourceNames;
    rules.push(rule);
  }
  if (nonResourceURLs.length) rules.push({ verbs, nonResourceURLs });
  return rules;
}

function warnVerbs(ctx: KubectlContext, verbs: string[]): void {
  for (const v of verbs) if (!VALID_VERBS.includes(v)) ctx.stderr(`Warning: '${v}' is not a standard resource verb\n`);
}

const ROLE_FLAGS = [
  { name: 'verb', type: 'stringSlice' as const, default: [], usage: 'Verb that applies to the resources contained in the rule' },
  { name: 'resource', type: 'stringSlice' as const, default: [], usage: 'Resource that the rule applies to' },
  { name: 'resource-name', type: 'stringArray' as const, default: [], usage: 'Resource in the white list that the rule applies to, repeat this flag for multiple items' },
];

const role: Command = {
  name: 'role',
  short: 'Create a role with single rule',
  long: 'Create a role NAME in the namespace, holding one rule: the --verb actions are allowed on the --resource types (optionally only on the objects named by --resource-name).',
  example: `  # Role pod-reader: may get, list and watch pods
  kubectl create role pod-reader --verb=get --verb=list --verb=watch --resource=pods
  
  # May get only the pods readablepod and anotherpod
  kubectl create role pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod
  
  # A resource of an API group: replica sets of group apps
  kubectl create role foo --verb=get,list,watch --resource=rs.apps
  
  # Pods and their status subresource
  kubectl create role foo --verb=get,list,watch --resource=pods,pods/status`,
  use: 'create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none]',
  flags: [...generatorFlags(), ...ROLE_FLAGS],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create role', [], async ({ name, metaNamespace }) => {
      const verbs = completeVerbs(args);
      const resources = completeResources(args);
      const names = uniq(args.flags.get('resource-name') as string[]);
      if (verbs.length === 0) throw new CommandError('error: at least one verb must be specified');
      warnVerbs(ctx, verbs);
      if (resources.length === 0) throw new CommandError('error: at least one resource must be specified');
      await validateResources(ctx, verbs, resources);
      const object: Obj = { kind: 'Role', apiVersion: `${RBAC}/v1`, metadata: objectMeta(name, metaNamespace), rules: await policyRules(ctx, verbs, resources, names, []) };
      return { kind: KINDS.role, object };
    }),
};

const clusterrole: Command = {
  name: 'clusterrole',
  short: 'Create a cluster role',
  long: 'Create a cluster role NAME: like a role, but not tied to a namespace. Besides resource rules it can allow non-resource URLs (--non-resource-url), or collect the rules of other cluster roles by label (--aggregation-rule).',
  example: `  # Cluster role pod-reader: may get, list and watch pods
  kubectl create clusterrole pod-reader --verb=get,list,watch --resource=pods
  
  # May get only the pods readablepod and anotherpod
  kubectl create clusterrole pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod
  
  # A resource of an API group: replica sets of group apps
  kubectl create clusterrole foo --verb=get,list,watch --resource=rs.apps
  
  # Pods and their status subresource
  kubectl create clusterrole foo --verb=get,list,watch --resource=pods,pods/status
  
  # May GET the URL paths under /logs/
  kubectl create clusterrole "foo" --verb=get --non-resource-url=/logs/*
  
  # Gathers the rules of every cluster role with this label
  kubectl create clusterrole monitoring --aggregation-rule="rbac.example.com/aggregate-to-monitoring=true"`,
  use: 'create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none]',
  flags: [
    ...generatorFlags(),
    ...ROLE_FLAGS,
    { name: 'non-resource-url', type: 'stringSlice', default: [], usage: 'A partial url that user should have access to.' },
    { name: 'aggregation-rule', type: 'stringSlice', default: [], usage: 'An aggregation label selector for combining ClusterRoles.' },
  ],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create clusterrole', [], async ({ name }) => {
      const verbs = completeVerbs(args);
      const resources = completeResources(args);
      const names = uniq(args.flags.get('resource-name') as string[]);
      const urls = args.flags.get('non-resource-url') as string[];
      const aggregation: Obj = {};
      for (const pair of args.flags.get('aggregation-rule') as string[]) {
        const at = pair.indexOf('=');
        if (at < 0) throw new CommandError(`invalid argument "${pair}" for "--aggregation-rule" flag: ${pair} must be formatted as key=value`);
        aggregation[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const aggregated = Object.keys(aggregation).length > 0;
      if (aggregated) {
        if (urls.length || verbs.length || resources.length || names.length)
          throw new CommandError('error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
      } else {
        if (verbs.length === 0) throw new CommandError('error: at least one verb must be specified');
        if (resources.length === 0 && urls.length === 0) throw new CommandError('error: one of resource or nonResourceURL must be specified');
        if (resources.length) {
          warnVerbs(ctx, verbs);
          await validateResources(ctx, verbs, resources);
        }
        if (urls.length) {
          for (const v of verbs) if (!NON_RESOURCE_VERBS.includes(v)) throw new CommandError(`error: invalid verb: '${v}' for nonResourceURL`);
          for (const u of urls) {
            if (u === '*') continue;
            if (!u.startsWith('/')) throw new CommandError('error: nonResourceURL should start with /');
            if (u.slice(0, -1).includes('*')) throw new CommandError("error: nonResourceURL only supports wildcard matches when '*' is at the end");
          }
        }
      }
      const object: Obj = { kind: 'ClusterRole', apiVersion: `${RBAC}/v1`, metadata: objectMeta(name, '') };
      if (aggregated) {
        object.rules = null;
        object.aggregationRule = { clusterRoleSelectors: [{ matchLabels: Object.fromEntries(Object.keys(aggregation).sort().map((k) => [k, aggregation[k]])) }] };
      } else object.rules = await policyRules(ctx, verbs, resources, names, urls);
      return { kind: KINDS.clusterrole, object };
    }),
};

function subjects(args: ParsedArgs): Obj[] {
  const out: Obj[] = [];
  for (const u of args.flags.get('user') as string[]) out.push({ kind: 'User', apiGroup: RBAC, name: u });
  for (const g of args.flags.get('group') as string[]) out.push({ kind: 'Group', apiGroup: RBAC, name: g });
  for (const sa of args.flags.get('serviceaccount') as string[]) {
    const parts = sa.split(':');
    if (parts.length !== 2) throw new CommandError('error: serviceaccount must be <namespace>:<name>');
    out.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
  }
  return out;
}

const SUBJECT_FLAGS = [
  { name: 'user', type: 'stringArray' as const, default: [], usage: 'Usernames to bind to the clusterrole. The flag can be repeated to add multiple users.' },
  { name: 'group', type: 'stringArray' as const, default: [], usage: 'Groups to bind to the clusterrole. The flag can be repeated to add multiple groups.' },
  { name: 'serviceaccount', type: 'stringArray' as const, default: [], usage: 'Service accounts to bind to the clusterrole, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.' },
];

const rolebinding: Command = {
  name: 'rolebinding',
  short: 'Create a role binding for a particular role or cluster role',
  long: 'Create a role binding NAME, which grants a role (--role) or a cluster role (--clusterrole) to users, groups or service accounts, within this namespace only.',
  example: `  # Give user1, user2 and group1 the admin cluster role in this namespace
  kubectl create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1
  
  # Give service account sa-dev of namespace monitoring the role admin
  kubectl create rolebinding admin-binding --role=admin --serviceaccount=monitoring:sa-dev`,
  use: 'create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
  flags: [
    ...generatorFlags(),
    { name: 'clusterrole', type: 'string', default: '', usage: 'ClusterRole this RoleBinding should reference' },
    { name: 'role', type: 'string', default: '', usage: 'Role this RoleBinding should reference' },
    ...SUBJECT_FLAGS,
  ],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create rolebinding', [], ({ name, metaNamespace }) => {
      const cr = args.flags.get('clusterrole') as string;
      const r = args.flags.get('role') as string;
      if ((cr && r) || (!cr && !r)) throw new CommandError('error: exactly one of clusterrole or role must be specified');
      const object: Obj = { kind: 'RoleBinding', apiVersion: `${RBAC}/v1`, metadata: objectMeta(name, metaNamespace) };
      const subs = subjects(args);
      if (subs.length) object.subjects = subs;
      object.roleRef = { apiGroup: RBAC, kind: cr ? 'ClusterRole' : 'Role', name: cr || r };
      return { kind: KINDS.rolebinding, errorPrefix: 'failed to create rolebinding: ', object };
    }),
};

const clusterrolebinding: Command = {
  name: 'clusterrolebinding',
  short: 'Create a cluster role binding for a particular cluster role',
  long: 'Create a cluster role binding NAME, which grants a cluster role to users, groups or service accounts in every namespace.',
  example: `  # Make user1, user2 and group1 cluster administrators
  kubectl create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1`,
  use: 'create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
  flags: [...generatorFlags(), { name: 'clusterrole', type: 'string', default: '', usage: 'ClusterRole this ClusterRoleBinding should reference' }, ...SUBJECT_FLAGS],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create clusterrolebinding', ['clusterrole'], ({ name }) => {
      const object: Obj = { kind: 'ClusterRoleBinding', apiVersion: `${RBAC}/v1`, metadata: objectMeta(name, '') };
      const subs = subjects(args);
      if (subs.length) object.subjects = subs;
      object.roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name: args.flags.get('clusterrole') };
      return { kind: KINDS.clusterrolebinding, errorPrefix: 'failed to create clusterrolebinding: ', object };
    }),
};

// ---------------------------------------------------------------- ingress

const RULE_RE = /^([\w*\-.]*)(\/.*)=([\w-]+):([\w-]+)(,(tls)=?([\w-]+)?)?/;

function backend(service: string): Obj {
  const [name, port] = service.split(':') as [string, string];
  return { service: { name, port: /^-?\d+$/.test(port) ? { number: Number(port) } : { name: port } } };
}

function ingressPath(pathsvc: string): Obj {
  const [p, svc] = pathsvc.split('=') as [string, string];
  let path = `/${p}`;
  let pathType = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { path, pathType, backend: backend(svc) };
}

const ingress: Command = {
  name: 'ingress',
  aliases: ['ing'],
  short: 'Create an ingress with the specified name',
  long: 'Create an ingress NAME from --rule flags of the form host/path=service:port[,tls[=secret]]. A path ending in * matches as a prefix, otherwise exactly; an empty host matches any host.',
  example: `  # Send foo.com/bar to port 8080 of service svc1, with TLS from secret my-cert
  kubectl create ingress simple --rule="foo.com/bar=svc1:8080,tls=my-cert"

  # Any host, path /path, to svc:port; ingress class otheringress
  kubectl create ingress catch-all --class=otheringress --rule="/path=svc:port"

  # Put two annotations on the ingress
  kubectl create ingress annotated --class=default --rule="foo.com/bar=svc:port" \\
  --annotation ingress.annotation1=foo \\
  --annotation ingress.annotation2=bla

  # Two paths of one host, to different services
  kubectl create ingress multipath --class=default \\
  --rule="foo.com/=svc:port" \\
  --rule="foo.com/admin/=svcadmin:portadmin"

  # Two hosts, both with prefix paths
  kubectl create ingress ingress1 --class=default \\
  --rule="foo.com/path*=svc:8080" \\
  --rule="bar.com/admin*=svc2:http"

  # TLS with the ingress controller's default certificate; an exact and a prefix path
  kubectl create ingress ingtls --class=default \\
  --rule="foo.com/=svc:https,tls" \\
  --rule="foo.com/path/subpath*=othersvc:8080"

  # TLS with the certificate in secret secret1; a prefix path
  kubectl create ingress ingsecret --class=default \\
  --rule="foo.com/*=svc:8080,tls=secret1"

  # Requests that match no rule go to defaultsvc
  kubectl create ingress ingdefault --class=default \\
  --default-backend=defaultsvc:http \\
  --rule="foo.com/*=svc:8080,tls=secret1"`,
  use: 'create ingress NAME --rule=host/path=service:port[,tls[=secret]]',
  flags: [
    ...generatorFlags(),
    { name: 'class', type: 'string', default: '', usage: 'Ingress Class to be used' },
    { name: 'rule', type: 'stringArray', default: [], usage: "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional." },
    { name: 'default-backend', type: 'string', default: '', usage: 'Default service for backend, in format of svcname:port' },
    { name: 'annotation', type: 'stringArray', default: [], usage: 'Annotation to insert in the ingress object, in the format annotation=value' },
  ],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create ingress', [], ({ name, metaNamespace }) => {
      const rules = args.flags.get('rule') as string[];
      const def = args.flags.get('default-backend') as string;
      const annotationsIn = args.flags.get('annotation') as string[];
      if (!def && rules.length === 0)
        throw new CommandError('error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)');
      for (const r of rules) if (!RULE_RE.test(r)) throw new CommandError(`error: rule ${r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
      for (const a of annotationsIn) if (!a.includes('=')) throw new CommandError(`error: annotation ${a} is invalid and should be in format key=[value]`);
      if (def && def.split(':').length !== 2) throw new CommandError('error: default-backend should be in format servicename:serviceport');
      const annotations: Obj = {};
      for (const a of annotationsIn) {
        const at = a.indexOf('=');
        annotations[a.slice(0, at)] = a.slice(at + 1);
      }
      const spec: Obj = {};
      if (args.flags.get('class')) spec.ingressClassName = args.flags.get('class');
      if (def) spec.defaultBackend = backend(def);
      // TLS: one entry per secret, each host once.
      const tls: { hosts?: string[]; secretName?: string }[] = [];
      const seenHosts = new Set<string>();
      for (const rule of rules) {
        const parts = rule.split(',');
        if (parts.length !== 2) continue;
        const host = rule.split('/')[0]!;
        const secretParts = parts[1]!.split('=');
        const secret = secretParts.length > 1 ? secretParts[1]! : '';
        const idx = tls.findIndex((t) => (t.secretName ?? '') === secret);
        if (seenHosts.has(host)) continue;
        if (idx > -1) {
          (tls[idx]!.hosts ??= []).push(host);
          seenHosts.add(host);
          continue;
        }
        const entry: { hosts?: string[]; secretName?: string } = {};
        if (host) entry.hosts = [host];
        if (secret) entry.secretName = secret;
        if (entry.hosts || entry.secretName) tls.push(entry);
        seenHosts.add(host);
      }
      if (tls.length) spec.tls = tls;
      const ingressRules: { host?: string; http: { paths: Obj[] } }[] = [];
      for (const rule of rules) {
        const withoutTls = rule.split(',')[0]!;
        const slash = withoutTls.indexOf('/');
        const host = withoutTls.slice(0, slash);
        const path = ingressPath(withoutTls.slice(slash + 1));
        const existing = ingressRules.find((r) => (r.host ?? '') === host);
        if (existing) existing.http.paths.push(path);
        else ingressRules.push(host ? { host, http: { paths: [path] } } : { http: { paths: [path] } });
      }
      if (ingressRules.length) spec.rules = ingressRules;
      return {
        kind: KINDS.ingress,
        errorPrefix: 'failed to create ingress: ',
        object: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: objectMeta(name, metaNamespace, { annotations: Object.fromEntries(Object.keys(annotations).sort().map((k) => [k, annotations[k]])) }), spec, status: { loadBalancer: {} } },
      };
    }),
};

// ---------------------------------------------------------------- token

const BOUND_KINDS: Record<string, string> = { Node: 'v1', Pod: 'v1', Secret: 'v1' };

const token: Command = {
  name: 'token',
  short: 'Request a service account token',
  long: 'Ask the API server for a short-lived token of service account SERVICE_ACCOUNT_NAME (TokenRequest) and print it. Nothing is stored in the cluster.',
  example: `  # A token for talking to the API server as service account myapp of this namespace
  kubectl create token myapp
  
  # Service account myapp of namespace myns
  kubectl create token myapp --namespace myns
  
  # A token that expires after 10 minutes
  kubectl create token myapp --duration 10m
  
  # A token meant for another audience than the API server
  kubectl create token myapp --audience https://example.com
  
  # A token that stops working when secret mysecret is deleted
  kubectl create token myapp --bound-object-kind Secret --bound-object-name mysecret

  # The same, checking that mysecret has this UID
  kubectl create token myapp --bound-object-kind Secret --bound-object-name mysecret --bound-object-uid 0d4691ed-659b-4935-a832-355f77ee47cc`,
  use: 'create token SERVICE_ACCOUNT_NAME',
  flags: [
    ...OUTPUT_FLAGS,
    { name: 'audience', type: 'stringArray', default: [], usage: 'Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences.' },
    { name: 'duration', type: 'duration', default: '0s', usage: 'Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime.' },
    { name: 'bound-object-kind', type: 'string', default: '', usage: 'Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided.' },
    { name: 'bound-object-name', type: 'string', default: '', usage: 'Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind.' },
    { name: 'bound-object-uid', type: 'string', default: '', usage: 'UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used.' },
  ],
  async run(args, ctx) {
    const name = nameArg(args, 'create token');
    const printer = printerFor(args, dryRunStrategy({ ...args, flags: new Map() }, ctx), ctx);
    const durationMs = parseGoDuration(args.flags.get('duration') as string) ?? 0;
    if (durationMs < 0) throw new CommandError('error: --duration must be greater than or equal to 0');
    if (durationMs % 1000 !== 0) throw new CommandError('error: --duration cannot be expressed in units less than seconds');
    const audiences = args.flags.get('audience') as string[];
    if (audiences.some((a) => a === '')) throw new CommandError('error: --audience must not be an empty string');
    const kind = args.flags.get('bound-object-kind') as string;
    const boundName = args.flags.get('bound-object-name') as string;
    const boundUid = args.flags.get('bound-object-uid') as string;
    if (!kind) {
      if (boundName) throw new CommandError('error: --bound-object-name can only be set if --bound-object-kind is provided');
      if (boundUid) throw new CommandError('error: --bound-object-uid can only be set if --bound-object-kind is provided');
    } else {
      if (!BOUND_KINDS[kind]) throw new CommandError(`error: supported --bound-object-kind values are ${Object.keys(BOUND_KINDS).join(', ')}`);
      if (!boundName) throw new CommandError('error: --bound-object-name is required if --bound-object-kind is provided');
    }
    const spec: Obj = { audiences: audiences.length ? audiences : null };
    if (durationMs > 0) spec.expirationSeconds = durationMs / 1000;
    if (kind) spec.boundObjectRef = { kind, apiVersion: BOUND_KINDS[kind], name: boundName, ...(boundUid ? { uid: boundUid } : {}) };
    const body = { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { token: '', expirationTimestamp: null } };
    const res = await ctx.client.request({ method: 'POST', path: kindPath(KINDS.serviceaccount, ctx.namespace, name, 'token'), body });
    if (res.status >= 400) throw new CommandError(`error: failed to create token: ${statusMessage(res)}`);
    const response = res.body as Obj & { status?: { token?: string } };
    if (!response.status?.token) throw new CommandError('error: failed to create token: no token in server response');
    if (printer.template) ctx.stdout(printer.template.print([response]));
    else if (printer.output === 'json') ctx.stdout(goJson(response));
    else if (printer.output === 'yaml') ctx.stdout(toYaml(response));
    else if (printer.output === 'name') ctx.stdout(`tokenrequest.authentication.k8s.io/${name}\n`);
    else ctx.stdout(`${response.status.token}\n`);
    return 0;
  },
};

export const rbacGenerators: Command[] = [role, clusterrole, rolebinding, clusterrolebinding, ingress, token];
