/** `kubectl auth can-i` and `kubectl auth whoami`: access and identity reviews answered by the server's authorizer. */
import { CommandError, type KubectlContext } from '../../context';
import { discoverOnce, resolveResource } from '../../discovery';
import { responseError } from '../../cmdutil';
import { tabwrite, toYaml } from '../../printers';
import { configJson } from './model';
import type { Command } from '../types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RESOURCE_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']);
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
const NON_STANDARD = new Set(['users', 'groups']);

interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const goList = (l: readonly string[]) => `[${l.join(' ')}]`;

/** rbac's PolicyRule String(), which kubectl sorts the list by. */
function ruleString(r: Rule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
}

/** BreakdownRule then CompactRules, as kubectl's rbac utilities. */
function breakdownAndCompact(rules: Rule[]): Rule[] {
  const broken: Rule[] = [];
  for (const r of rules) {
    for (const g of r.apiGroups)
      for (const res of r.resources) {
        if (r.resourceNames.length) for (const n of r.resourceNames) broken.push({ verbs: r.verbs, apiGroups: [g], resources: [res], resourceNames: [n], nonResourceURLs: [] });
        else broken.push({ verbs: r.verbs, apiGroups: [g], resources: [res], resourceNames: [], nonResourceURLs: [] });
      }
    for (const u of r.nonResourceURLs) broken.push({ verbs: r.verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [u] });
  }
  const simple = new Map<string, Rule>();
  const out: Rule[] = [];
  for (const r of broken) {
    if (r.apiGroups.length === 1 && r.resources.length === 1 && !r.resourceNames.length && !r.nonResourceURLs.length) {
      const key = `${r.apiGroups[0]}\u0000${r.resources[0]}`;
      const existing = simple.get(key);
      if (existing) {
        for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
        continue;
      }
      const copy = { ...r, verbs: [...r.verbs] };
      simple.set(key, copy);
      out.push(copy);
    } else out.push(r);
  }
  return out.map((r, i) => [r, i] as const).sort(([a, i], [b, j]) => { const x = ruleString(a); const y = ruleString(b); return x < y ? -1 : x > y ? 1 : i - j; }).map(([r]) => r);
}

function combineResourceGroup(resources: string[], groups: string[]): string {
  if (!resources.length) return '';
  const [head, sub] = resources[0]!.split(/\/(.*)/s) as [string, string | undefined];
  let out = head;
  if (groups.length && groups[0]) out += `.${groups[0]}`;
  if (sub !== undefined) out += `/${sub}`;
  return out;
}

function warn(ctx: KubectlContext, message: string): void {
  ctx.stderr(`Warning: ${message}`);
}

export function canICommand(): Command {
  return {
    name: 'can-i',
    short: 'Check whether an action is allowed',
    long: `Ask the API server whether you may do something, and print yes or no.

 VERB is an API verb such as get, list, watch, create or delete. TYPE is a resource type (short names and groups work, e.g. deploy or deployments.apps), optionally with /NAME for one object. NONRESOURCEURL is a path beginning with "/", such as /healthz. With the global --as flag you can ask on behalf of another user or service account.`,
    example: `  # May I create pods in every namespace?
  kubectl auth can-i create pods --all-namespaces
  
  # May I list deployments in the current namespace?
  kubectl auth can-i list deployments.apps
  
  # May service account foo of namespace dev list pods in namespace prod?
  # (--as needs permission to impersonate)
  kubectl auth can-i list pods --as=system:serviceaccount:dev:foo -n prod
  
  # Everything I may do in namespace foo
  kubectl auth can-i --list --namespace=foo`,
    use: 'auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL]',
    flags: [
      { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If true, check the specified action in all namespaces.' },
      { name: 'list', type: 'bool', default: false, usage: 'If true, prints all allowed actions.' },
      { name: 'no-headers', type: 'bool', default: false, usage: 'If true, prints allowed actions without headers' },
      { name: 'quiet', shorthand: 'q', type: 'bool', default: false, usage: 'If true, suppress output and just return the exit code.' },
      { name: 'subresource', type: 'string', default: '', usage: 'SubResource such as pod/log or deployment/scale' },
    ],
    async run(args, ctx) {
      const list = args.flags.get('list') as boolean;
      const quiet = args.flags.get('quiet') as boolean;
      const all = args.flags.get('all-namespaces') as boolean;
      const subresource = args.flags.get('subresource') as string;
      const noHeaders = args.flags.get('no-headers') as boolean;
      const out = quiet && !list ? () => {} : ctx.stdout;
      let verb = '';
      let nonResourceURL = '';
      let resource = { group: '', resource: '' };
      let name = '';
      let namespaced = true;
      if (list) {
        if (args.positional.length) throw new CommandError('error: list option must be specified with no arguments');
      } else {
        if (args.positional.length !== 2)
          throw new CommandError("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
        verb = args.positional[0]!;
        const target = args.positional[1]!;
        if (target.startsWith('/')) nonResourceURL = target;
        else {
          const [typed, resourceName] = target.split(/\/(.*)/s) as [string, string | undefined];
          name = resourceName ?? '';
          if (typed === '*') resource = { group: '', resource: '*' };
          else {
            const found = resolveResource(await discoverOnce(ctx), typed.toLowerCase());
            if (found) {
              resource = { group: found.group, resource: found.name };
              namespaced = found.namespaced;
            } else {
              const [head, ...rest] = typed.toLowerCase().split('.');
              const group = rest.join('.');
              if (!NON_STANDARD.has(typed.toLowerCase()))
                warn(ctx, group ? `the server doesn't have a resource type '${head}' in group '${group}'\n\n` : `the server doesn't have a resource type '${head}'\n\n`);
              resource = { group: '', resource: typed };
            }
          }
        }
      }
      const namespace = all ? '' : ctx.namespace;
      if (list) {
        if (quiet || all || subresource) throw new CommandError("error: list option can't be specified with neither quiet, all-namespaces nor subresource options");
      } else if (nonResourceURL) {
        if (subresource) throw new CommandError('error: --subresource can not be used with NonResourceURL');
        if (!NON_RESOURCE_VERBS.has(verb)) warn(ctx, `verb '${verb}' is not a known verb\n\n`);
      } else if (resource.resource) {
        if (!all && !namespaced)
          warn(ctx, resource.group ? `resource '${resource.resource}' is not namespace scoped in group '${resource.group}'\n\n` : `resource '${resource.resource}' is not namespace scoped\n\n`);
        if (!RESOURCE_VERBS.has(verb)) warn(ctx, `verb '${verb}' is not a known verb\n\n`);
      }
      if (noHeaders && !list) throw new CommandError('error: --no-headers cannot be set without --list specified');

      if (list) {
        const res = await ctx.client.request({
          method: 'POST',
          path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
          body: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: { namespace } },
        });
        if (res.status >= 400) throw new CommandError(responseError(res));
        const status = (res.body as Obj).status ?? {};
        if (status.incomplete) warn(ctx, `the list may be incomplete: ${status.evaluationError ?? ''}`);
        const rules: Rule[] = [
          ...(status.resourceRules ?? []).map((r: Obj) => ({ verbs: r.verbs ?? [], apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], resourceNames: r.resourceNames ?? [], nonResourceURLs: [] })),
          ...(status.nonResourceRules ?? []).map((r: Obj) => ({ verbs: r.verbs ?? [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: r.nonResourceURLs ?? [] })),
        ];
        const lines: string[][] = noHeaders ? [] : [['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']];
        for (const r of breakdownAndCompact(rules))
          lines.push([combineResourceGroup(r.resources, r.apiGroups), goList(r.nonResourceURLs), goList(r.resourceNames), goList(r.verbs)]);
        ctx.stdout(tabwrite(lines));
        return 0;
      }

      const spec = nonResourceURL
        ? { nonResourceAttributes: { path: nonResourceURL, verb } }
        : { resourceAttributes: { namespace, verb, group: resource.group, resource: resource.resource, subresource, name } };
      const res = await ctx.client.request({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec },
      });
      if (res.status >= 400) throw new CommandError(responseError(res));
      const status = (res.body as Obj).status ?? {};
      if (status.allowed) {
        out('yes\n');
        return 0;
      }
      out(`no${status.reason ? ` - ${status.reason}` : ''}${status.evaluationError ? ` - ${status.evaluationError}` : ''}\n`);
      return 1;
    },
  };
}

export function whoamiCommand(): Command {
  return {
    name: 'whoami',
    short: 'Experimental: Check self subject attributes',
    long: `Experimental: ask the API server who it thinks you are: your user name, groups and extra attributes.

        Handy when the credentials come from somewhere else (a token webhook,
        an authenticating proxy, an OIDC provider) and you are not sure
        which identity they map to.`,
    example: `  # Who am I?
  kubectl auth whoami
  
  # The same, as JSON
  kubectl auth whoami -o json`,
    use: 'auth whoami',
    flags: [{ name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' }],
    async run(args, ctx) {
      const output = args.flags.get('output') as string;
      const res = await ctx.client.request({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {} },
      });
      if (res.status === 403) throw new CommandError('error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it');
      if (res.status >= 400) throw new CommandError(responseError(res));
      const raw = res.body as Obj;
      const u = raw.status?.userInfo ?? {};
      // The typed SelfSubjectReview, in its Go field order.
      const body = {
        kind: raw.kind,
        apiVersion: raw.apiVersion,
        metadata: { creationTimestamp: null },
        status: { userInfo: { ...(u.username ? { username: u.username } : {}), ...(u.uid ? { uid: u.uid } : {}), ...(u.groups?.length ? { groups: u.groups } : {}), ...(u.extra ? { extra: u.extra } : {}) } },
      };
      if (output === 'json') return ctx.stdout(configJson(body)), 0;
      if (output === 'yaml') return ctx.stdout(toYaml(body)), 0;
      if (output === 'name') return ctx.stdout('selfsubjectreview.authentication.k8s.io/<unknown>\n'), 0;
      if (output) throw new CommandError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml`);
      const ui = body.status?.userInfo ?? {};
      const lines: string[][] = [['ATTRIBUTE', 'VALUE']];
      if (ui.username) lines.push(['Username', ui.username]);
      if (ui.uid) lines.push(['UID', ui.uid]);
      if (ui.groups?.length) lines.push(['Groups', goList(ui.groups)]);
      for (const k of Object.keys(ui.extra ?? {}).sort()) lines.push([`Extra: ${k}`, goList(ui.extra[k])]);
      ctx.stdout(tabwrite(lines));
      return 0;
    },
  };
}

export function authCommand(): Command {
  return {
    name: 'auth',
    short: 'Inspect authorization',
    long: 'Find out who you are to the cluster and what you are allowed to do.',
    use: 'auth',
    flags: [],
    subcommands: [canICommand(), whoamiCommand()],
  };
}
