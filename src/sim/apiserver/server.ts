/**
 * The API server: routes REST requests to resource types and runs them through the stages of
 * kube-apiserver — decode (strict or not), defaulting, mutating admission, the kind's strategy,
 * validation, validating admission, optimistic concurrency and storage — and serves reads,
 * Tables and watches. The same handler serves in-process clients and the HTTP facade.
 */
import { base64Decode, base64Encode } from '../bytes';
import type { VirtualClock } from '../clock';
import type { SeededRandom } from '../random';
import { CompactedError, type Store } from '../store';
import { admit, validateAdmission, type AdmissionAttributes, type Operation } from './admission/index';
import { aggregatedTarget, apiServiceName, serviceUnavailable, type AggregatedApi } from './aggregator';
import { ClusterIPAllocator, NodePortAllocator } from './allocators';
import { columnValue, crdTypes, establish, validateAndPrune, validateCRD } from './crd';
import { convertsForStorage, fromStorage, toStorage } from './conversion';
import { decodeObject } from './decode';
import { jsonEqual } from './json';
import type { ExecOptions, ExecStreams, LogOptions, NodeAgent } from './node-agent';
import { apply as serverSideApply, ApplyConflictError, trackUpdate, type Shape } from './managedfields/index';
import { parse as parseYaml } from 'yaml';
import { humanDuration } from './duration';
import { applyDefaults, applyStatusDefaults } from './defaults/index';
import { rfc3339 } from './duration';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  forbidden,
  gone,
  invalid,
  methodNotAllowed,
  notFound,
  pathNotFound,
  qualifiedResource,
  unsupportedMediaType,
} from './errors';
import { authorize, effectiveGroups, KUBERNETES_ADMIN, rulesFor, type RbacObjects, type UserInfo } from './rbac';
import { invalid as invalidField, type FieldError } from './field-errors';
import { matchesFields, parseFieldSelector, type FieldRequirement } from './field-selector';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from './patch/index';
import { apiVersionOf, ResourceRegistry, type ResourceType } from './registry';
import { matchesLabels, parseLabelSelector, SelectorParseError, type LabelSelector } from './selector';
import { toSelector as toSelectorRequirements } from './validation/index';
import { ANY_SHAPE, defShape, jsonShape, pathString as pathStringOf } from './managedfields/fieldset';
import { generateJobSelector, hasStatusSubresource, prepareForCreate, returnsDeletedObject, specChanged, usesGeneration } from './strategy';
import { selectorString, tableColumns, tableRow } from './tables/index';
import { signJwt } from '../jwt';
import type { ApiRequest, ApiResponse, KubeList, KubeObject, Status, Table, WatchEventObject } from './types';
import { validateCreate, validateUpdate } from './validation/index';
import { validateEphemeralContainersUpdate } from './validation/pod';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

interface Listing {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Observers of every request, for the request trace. */
export type RequestObserver = (req: ApiRequest, res: ApiResponse) => void;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export class ApiServer {
  readonly registry = new ResourceRegistry();
  private readonly clusterIPs: ClusterIPAllocator;
  private readonly nodePorts: NodePortAllocator;
  private readonly observers = new Set<RequestObserver>();

  constructor(
    private readonly store: Store,
    private readonly clock: VirtualClock,
    private readonly random: SeededRandom,
    readonly version: ServerVersion,
  ) {
    this.clusterIPs = new ClusterIPAllocator(random);
    this.nodePorts = new NodePortAllocator(random);
  }

  private readonly agents = new Map<string, NodeAgent>();
  private readonly aggregated = new Map<string, AggregatedApi>();

  /** Registers an extension API server, served while its APIService exists (see aggregator.ts). */
  registerAggregatedApi(api: AggregatedApi): () => void {
    this.aggregated.set(api.group, api);
    return () => this.aggregated.delete(api.group);
  }

  /** The aggregated API for a group with its APIService, when that exists. */
  private aggregatedApi(group: string, version?: string): { api: AggregatedApi; service: Obj } | undefined {
    const api = this.aggregated.get(group);
    if (!api || (version !== undefined && version !== api.version)) return undefined;
    const service = this.getByResource('apiservices', 'apiregistration.k8s.io', undefined, apiServiceName(api));
    return service ? { api, service } : undefined;
  }

  private routeAggregated(req: ApiRequest, segments: string[]): ApiResponse | undefined {
    if (segments[0] !== 'apis' || segments.length < 2) return undefined;
    const found = this.aggregatedApi(segments[1]!, segments[2]);
    if (!found) return undefined;
    const { api, service } = found;
    if (segments.length === 2) return ok({ kind: 'APIGroup', apiVersion: 'v1', ...(this.groupInfo({ name: api.group, versions: [api.version] }) as object) });
    // While the APIService is not Available, requests fail with 503.
    if (!((service.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Available' && c.status === 'True')) throw serviceUnavailable();
    if (segments.length === 3) return ok({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${api.group}/${api.version}`, resources: api.resources });
    const target = aggregatedTarget(segments.slice(3));
    if (!target) throw pathNotFound();
    return api.handle(req, target);
  }

  /** Registers the kubelet of `node`, which serves its pods' logs and exec. */
  registerNodeAgent(node: string, agent: NodeAgent): () => void {
    this.agents.set(node, agent);
    return () => this.agents.delete(node);
  }

  /** Finds the pod and container a log or exec request names, as the pod REST's LogLocation does. */
  private podAndContainer(namespace: string, name: string, container: string | undefined): { pod: Obj; container: string; agent: NodeAgent } {
    const type = this.registry.byPath('', 'v1', 'pods')!;
    const s = this.stored(type, namespace, name);
    if (!s) throw notFound(type, name);
    const pod = s.obj as Obj;
    const containers: string[] = (pod.spec?.containers ?? []).map((c: Obj) => c.name);
    const inits: string[] = (pod.spec?.initContainers ?? []).map((c: Obj) => c.name);
    const ephemeral: string[] = (pod.spec?.ephemeralContainers ?? []).map((c: Obj) => c.name);
    let chosen = container;
    if (!chosen) {
      if (containers.length === 1) chosen = containers[0]!;
      else {
        let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
        if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
        if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
        throw badRequest(msg);
      }
    } else if (![...containers, ...inits, ...ephemeral].includes(chosen)) {
      throw badRequest(`container ${chosen} is not valid for pod ${name}`);
    }
    const node = pod.spec?.nodeName;
    if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
    const agent = this.agents.get(node);
    if (!agent) {
      // No kubelet answers on that node: the API server's request to it fails.
      const ip = (this.getByResource('nodes', '', undefined, node)?.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address ?? node;
      throw internalErrorText(`Get "https://${ip}:10250/containerLogs/${namespace}/${name}/${chosen}": dial tcp ${ip}:10250: connect: connection refused`);
    }
    return { pod, container: chosen, agent };
  }

  /** GET pods/{name}/log (without follow): the container's log as text. */
  private podLogs(target: Target, query: Record<string, string>): ApiResponse {
    const { pod, container, agent } = this.podAndContainer(target.namespace!, target.name!, query.container);
    const num = (v: string | undefined, field: string) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n)) throw badRequest(`${field}: Invalid value: "${v}": must be an integer`);
      return n;
    };
    const options: LogOptions = {
      container,
      previous: query.previous === 'true',
      timestamps: query.timestamps === 'true',
      ...(query.tailLines !== undefined ? { tailLines: num(query.tailLines, 'tailLines')! } : {}),
      ...(query.sinceSeconds !== undefined ? { sinceSeconds: num(query.sinceSeconds, 'sinceSeconds')! } : {}),
      ...(query.limitBytes !== undefined ? { limitBytes: num(query.limitBytes, 'limitBytes')! } : {}),
    };
    return { status: 200, body: agent.containerLogs(clone(pod), options) };
  }

  /** pods/{name}/exec: runs a command in a container through the node's kubelet. */
  async exec(namespace: string, name: string, options: Omit<ExecOptions, 'container'> & { container?: string }, streams: ExecStreams): Promise<number> {
    if (options.command.length === 0) throw badRequest('you must specify at least 1 command');
    const { pod, container, agent } = this.podAndContainer(namespace, name, options.container);
    return agent.exec(clone(pod), { ...options, container }, streams);
  }

  /** An attached session's input to a container's own shell ended: the shell exits with `exitCode`. */
  containerStdinEnded(namespace: string, name: string, container: string, exitCode: number): void {
    const { pod, agent } = this.podAndContainer(namespace, name, container);
    agent.stdinEnded?.(clone(pod), container, exitCode);
  }

  /** Whether a container is a shell waiting on its stdin (kubectl run -it, debug -it), as its kubelet knows. */
  containerWaitsOnStdin(namespace: string, name: string, container: string): boolean {
    const { pod, agent } = this.podAndContainer(namespace, name, container);
    return agent.waitsOnStdin?.(clone(pod), container) ?? false;
  }

  /** Calls `observer` after every handled request; returns a function that stops it. */
  observe(observer: RequestObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Handles one request; failures come back as a Status body with the error's HTTP code. */
  handle(req: ApiRequest): ApiResponse {
    let res: ApiResponse;
    try {
      res = this.route(req);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      res = { status: err.status.code ?? 500, body: err.status };
    }
    for (const o of this.observers) o(req, res);
    return res;
  }

  /**
   * Starts a watch (GET with watch=true semantics). Returns a function that stops it, or an
   * error response (for example 410 Gone when the resourceVersion was compacted).
   */
  watch(req: ApiRequest, onEvent: (event: WatchEventObject) => void): { stop(): void } | ApiResponse {
    try {
      const target = this.target(req.path);
      if (target.name && target.subresource) throw methodNotAllowed();
      const { type, namespace } = target;
      const query = req.query ?? {};
      const labels = this.labelSelector(query.labelSelector);
      const fields = this.fieldSelector(query.fieldSelector, type, target.name);
      const matches = (o: KubeObject) => (!labels || matchesLabels(labels, o.metadata.labels)) && (!fields || matchesFields(fields, type.kind, o));
      const prefix = this.prefix(type, namespace);
      const emit = (t: WatchEventObject['type'], o: KubeObject, rev: number) =>
        onEvent({ type: t, object: this.render(req, this.withVersion(o, rev, type), type) });
      const rv = query.resourceVersion;
      let from: number | undefined;
      if (rv === undefined || rv === '' || rv === '0') {
        // Without a resourceVersion a watch starts with the current state as ADDED events.
        for (const kv of this.store.range<KubeObject>(prefix)) if (matches(kv.value)) emit('ADDED', kv.value, kv.modRevision);
        from = this.store.revision();
      } else {
        from = Number(rv);
        if (!Number.isInteger(from)) throw badRequest(`invalid resource version: ${rv}`);
      }
      const stop = this.store.watch(
        prefix,
        (e) => {
          const now = e.kv.value as KubeObject;
          const before = e.prev?.value as KubeObject | undefined;
          if (e.type === 'delete') {
            if (matches(before!)) emit('DELETED', before!, e.kv.modRevision);
            return;
          }
          const was = before ? matches(before) : false;
          const is = matches(now);
          if (is && !was) emit('ADDED', now, e.kv.modRevision);
          else if (is && was) emit('MODIFIED', now, e.kv.modRevision);
          else if (!is && was) emit('DELETED', now, e.kv.modRevision);
        },
        from,
      );
      return { stop };
    } catch (err) {
      if (err instanceof CompactedError) {
        const e = gone(`too old resource version: ${err.requested} (${err.compacted})`);
        return { status: 410, body: e.status };
      }
      if (err instanceof ApiError) return { status: err.status.code ?? 500, body: err.status };
      throw err;
    }
  }

  // ---- routing -------------------------------------------------------------------------

  private route(req: ApiRequest): ApiResponse {
    const segments = pathSegments(req.path);
    if (segments[0] === 'version' && segments.length === 1) return ok(this.versionInfo());
    if (segments[0] === 'api' && segments.length === 1) return ok(this.coreVersions());
    if (segments[0] === 'apis' && segments.length === 1) return ok(this.groupList());
    const aggregated = this.routeAggregated(req, segments);
    if (aggregated) return aggregated;
    if ((segments[0] === 'api' && segments.length === 2) || (segments[0] === 'apis' && segments.length === 3)) {
      const [group, version] = segments[0] === 'api' ? ['', segments[1]!] : [segments[1]!, segments[2]!];
      return ok(this.resourceList(group, version));
    }
    if (segments[0] === 'apis' && segments.length === 2) return ok(this.group(segments[1]!));
    const target = this.target(req.path, segments);
    const query = req.query ?? {};
    this.authorizeRequest(req, target);
    switch (req.method) {
      case 'GET':
        if (query.watch === 'true' || query.watch === '1') throw badRequest('use ApiServer.watch for watch requests');
        if (target.subresource === 'log' && target.type.kind === 'Pod') return this.podLogs(target, query);
        if (target.name) return ok(this.render(req, this.read(target), target.type));
        return ok(this.renderList(req, target.type, this.list(target, query)));
      case 'POST':
        if (target.name && !target.subresource) throw methodNotAllowed();
        return this.create(req, target);
      case 'PUT':
        if (!target.name) throw methodNotAllowed();
        return this.update(req, target);
      case 'PATCH':
        if (!target.name) throw methodNotAllowed();
        return this.patch(req, target);
      case 'DELETE':
        if (!target.name) return this.deleteCollection(req, target);
        return this.delete(req, target);
      default:
        throw methodNotAllowed();
    }
  }

  private target(path: string, segments = pathSegments(path)): Target {
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments.length >= 3) {
      group = '';
      version = segments[1]!;
      rest = segments.slice(2);
    } else if (segments[0] === 'apis' && segments.length >= 4) {
      group = segments[1]!;
      version = segments[2]!;
      rest = segments.slice(3);
    } else {
      throw pathNotFound();
    }
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const type = this.registry.byPath(group, version, rest[2]!);
      if (type?.namespaced) return this.checkSub({ type, namespace: rest[1]!, name: rest[3], subresource: rest[4] }, rest.length > 5);
    }
    const type = this.registry.byPath(group, version, rest[0]!);
    if (!type) throw pathNotFound();
    if (type.namespaced) return this.checkSub({ type, name: rest[1], subresource: rest[2] }, rest.length > 3, true);
    return this.checkSub({ type, name: rest[1], subresource: rest[2] }, rest.length > 3);
  }

  private checkSub(t: Target, tooLong: boolean, allNamespaces = false): Target {
    if (tooLong) throw pathNotFound();
    if (allNamespaces && t.name) throw pathNotFound();
    if (t.subresource && !t.type.subresources.some((s) => s.name === t.subresource)) throw pathNotFound();
    return t;
  }

  // ---- storage helpers ------------------------------------------------------------------

  private prefix(type: ResourceType, namespace: string | undefined): string {
    return type.namespaced && namespace ? `${type.etcdPrefix}/${namespace}/` : `${type.etcdPrefix}/`;
  }

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return type.namespaced ? `${type.etcdPrefix}/${namespace}/${name}` : `${type.etcdPrefix}/${name}`;
  }

  /** The object as a client sees it: in the requested version, with its resourceVersion. */
  private withVersion(obj: KubeObject, modRevision: number, type?: ResourceType): KubeObject {
    const o = type ? (fromStorage(type, obj as Obj) as KubeObject) : obj;
    return { ...o, metadata: { ...o.metadata, resourceVersion: String(modRevision) } };
  }

  private stored(type: ResourceType, namespace: string | undefined, name: string): { obj: KubeObject; rev: number } | undefined {
    const kv = this.store.get<KubeObject>(this.key(type, namespace, name));
    return kv && { obj: kv.value, rev: kv.modRevision };
  }

  /** The store's current revision: it moves with every write. */
  revision(): number {
    return this.store.revision();
  }

  /** Reads for admission plugins and bootstrap: by plural and group, any served version. */
  getByResource(resource: string, group: string, namespace: string | undefined, name: string): Obj | undefined {
    const type = this.registry.byResource(resource, group);
    if (!type) return undefined;
    return this.stored(type, namespace, name)?.obj;
  }

  listByResource(resource: string, group: string, namespace: string | undefined): Obj[] {
    const type = this.registry.byResource(resource, group);
    if (!type) return [];
    const out: Obj[] = [];
    this.store.scan<KubeObject>(this.prefix(type, namespace), (kv) => {
      out.push(kv.value);
    });
    return out;
  }

  // ---- reads ----------------------------------------------------------------------------

  private read(target: Target): KubeObject {
    const s = this.stored(target.type, target.namespace, target.name!);
    if (!s) throw notFound(target.type, target.name!);
    if (target.subresource === 'scale') return this.scaleOf(target.type, this.withVersion(s.obj, s.rev));
    return this.withVersion(s.obj, s.rev, target.type);
  }

  private labelSelector(text: string | undefined): LabelSelector | undefined {
    if (!text) return undefined;
    try {
      return parseLabelSelector(text);
    } catch (err) {
      if (err instanceof SelectorParseError) throw badRequest(`unable to parse requirement: ${err.message}`);
      throw err;
    }
  }

  private fieldSelector(text: string | undefined, type: ResourceType, name?: string): FieldRequirement[] | undefined {
    const reqs = text ? parseFieldSelector(text, type.kind) : [];
    if (name) reqs.push({ field: 'metadata.name', op: '=', value: name });
    return reqs.length ? reqs : undefined;
  }

  private list(target: Target, query: Record<string, string>): Listing {
    const { type, namespace } = target;
    const labels = this.labelSelector(query.labelSelector);
    const fields = this.fieldSelector(query.fieldSelector, type);
    const limit = query.limit ? Number(query.limit) : 0;
    let start: string | undefined;
    let listRevision = this.store.revision();
    if (query.continue) {
      const token = decodeContinue(query.continue);
      if (!token) throw badRequest(`continue key is not valid: ${query.continue}`);
      if (token.rv < this.store.compactedRevision())
        throw gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      start = `${this.prefix(type, namespace)}${token.start}`;
      listRevision = token.rv;
    }
    const prefix = this.prefix(type, namespace);
    const items: KubeObject[] = [];
    const gv = apiVersionOf(type);
    let next: string | undefined;
    this.store.scan<KubeObject>(
      prefix,
      (kv) => {
        const o = kv.value;
        if (labels && !matchesLabels(labels, o.metadata.labels)) return;
        if (fields && !matchesFields(fields, type.kind, o)) return;
        if (limit > 0 && items.length >= limit) {
          next = kv.key.slice(prefix.length);
          return false;
        }
        // Objects already in the requested version skip conversion (the common case).
        items.push(o.apiVersion === gv ? { ...o, metadata: { ...o.metadata, resourceVersion: String(kv.modRevision) } } : this.withVersion(o, kv.modRevision, type));
      },
      start,
    );
    const result: Listing = { items, resourceVersion: String(listRevision) };
    if (next !== undefined) {
      result.continue = encodeContinue(listRevision, next);
      if (!labels && !fields) result.remainingItemCount = this.store.countFrom(prefix, prefix + next);
    }
    return result;
  }

  // ---- writes ---------------------------------------------------------------------------

  private attrs(operation: Operation, target: Target, name: string, object: Obj, oldObject: Obj | undefined, dryRun: boolean, warnings: string[] = []): AdmissionAttributes {
    const a: AdmissionAttributes = {
      warn: (m) => warnings.push(m),
      operation,
      type: target.type,
      name,
      object,
      dryRun,
      random: this.random,
      get: this.admissionGet,
      list: this.admissionList,
    };
    if (target.subresource) a.subresource = target.subresource;
    if (target.namespace) a.namespace = target.namespace;
    if (oldObject) a.oldObject = oldObject;
    return a;
  }

  /** Reads for admission plugins (one pair of functions for every request). */
  private readonly admissionGet = (r: string, g: string, ns: string | undefined, n: string) => this.getByResource(r, g, ns, n);
  private readonly admissionList = (r: string, g: string, ns: string | undefined) => this.listByResource(r, g, ns);

  /**
   * Decodes a create/update body: type errors always fail; unknown fields per fieldValidation.
   * A status update keeps only the body's status (and reads metadata's top level): with
   * `statusOnly` the rest is checked but not copied or defaulted.
   */
  private decode(req: ApiRequest, type: ResourceType, statusOnly = false): { obj: Obj; warnings: string[] } {
    const body = req.body ?? (req.rawBody !== undefined ? parseJson(req.rawBody) : undefined);
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/cbor`);
    }
    const b = body as Obj;
    const gv = apiVersionOf(type);
    if (b.apiVersion !== undefined && b.apiVersion !== gv && b.kind === type.kind)
      throw badRequest(`the API version in the data (${b.apiVersion}) does not match the expected API version (${gv})`);
    if (b.kind !== undefined && b.kind !== type.kind)
      throw badRequest(`${b.kind} in version "${type.version}" cannot be handled as a ${type.kind}: no kind "${b.kind}" is registered for version "${gv}" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`);
    const mode = req.query?.fieldValidation ?? 'Warn';
    if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore')
      throw badRequest(`fieldValidation parameter unsupported: ${mode}`);
    const prefix = () => `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`;
    if (type.custom) return this.decodeCustom(b, type, mode, prefix());
    if (!type.definition) return { obj: clone(b), warnings: [] };
    // Defaulting a kind's status never depends on its spec, and types stored in another version convert whole objects.
    const only = statusOnly && !convertsForStorage(type) ? 'status' : undefined;
    const outcome = decodeObject(b, type.definition, req.rawBody, only);
    if (outcome.typeError) throw badRequest(`${prefix()}: ${outcome.typeError}`);
    const problems =
      outcome.duplicateFields.length || outcome.unknownFields.length
        ? [...outcome.duplicateFields.map((f) => `duplicate field "${f}"`), ...outcome.unknownFields.map((f) => `unknown field "${f}"`)]
        : NO_PROBLEMS;
    if (problems.length && mode === 'Strict') throw badRequest(`${prefix()}: strict decoding error: ${problems.join(', ')}`);
    const warnings = mode === 'Warn' && problems.length ? (problems as string[]) : [];
    // The decoder's output is a fresh copy of the body (as a JSON round trip leaves it).
    const decoded = outcome.pruned as Obj;
    decoded.apiVersion = gv;
    decoded.kind = type.kind;
    decoded.metadata = decoded.metadata ?? {};
    // Defaults of the requested version apply before conversion to the storage version.
    if (only) applyStatusDefaults(type.kind, decoded);
    else applyDefaults(type.kind, decoded);
    const obj = toStorage(type, decoded);
    return { obj, warnings };
  }

  /** Custom resources: pruned and validated against the CRD's structural schema. */
  private decodeCustom(b: Obj, type: ResourceType, mode: string, prefix: string): { obj: Obj; warnings: string[] } {
    const { metadata, apiVersion, kind, ...rest } = b;
    const errs: FieldError[] = [];
    const unknown: string[] = [];
    const schema = type.custom?.schema as Obj | undefined;
    const props = { ...(schema ?? {}), properties: { ...((schema?.properties as Obj) ?? {}) } };
    delete props.properties.metadata;
    delete props.properties.apiVersion;
    delete props.properties.kind;
    const pruned = schema ? (validateAndPrune(rest, props, '', errs, unknown) as Obj) : rest;
    if (unknown.length && mode === 'Strict') throw badRequest(`${prefix}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
    if (errs.length) throw invalid(type, String(metadata?.name ?? ''), errs);
    return { obj: { apiVersion: apiVersionOf(type), kind: type.kind, metadata: clone(metadata ?? {}), ...clone(pruned) }, warnings: mode === 'Warn' ? unknown.map((u) => `unknown field "${u}"`) : [] };
  }

  /** The type's schema position; the same object each time, so facts about it stay cached. */
  private shapeOf(type: ResourceType): Shape {
    if (type.custom) return jsonShape(type.custom.schema as Obj | undefined);
    return type.definition ? defShape(type.definition) : ANY_SHAPE;
  }

  /** The field manager of a request: ?fieldManager=, else the user agent's program name. */
  private manager(req: ApiRequest): string {
    const m = req.query?.fieldManager;
    if (m !== undefined) {
      if (m.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
      return m;
    }
    return (req.userAgent ?? 'unknown').split('/')[0]!;
  }

  /** Serves the types of an established CRD (and stops serving those it no longer lists). */
  private syncCRD(crd: Obj | undefined, old: Obj | undefined): void {
    for (const t of old ? crdTypes(old) : []) this.registry.remove(t.group, t.version, t.name);
    for (const t of crd ? crdTypes(crd) : []) this.registry.add(t);
  }

  private create(req: ApiRequest, target: Target): ApiResponse {
    if (target.subresource) return this.createSubresource(req, target);
    const { type } = target;
    const query = req.query ?? {};
    const dryRun = query.dryRun === 'All';
    const { obj, warnings } = this.decode(req, type);
    if (REVIEW_KINDS.has(type.kind)) return this.review(obj, req, target.namespace);
    const meta = obj.metadata;
    // Namespace of the object must agree with the request's (cluster-scoped objects lose theirs).
    if (type.namespaced) {
      if (!meta.namespace) meta.namespace = target.namespace;
      else if (meta.namespace !== target.namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    } else {
      delete meta.namespace;
    }
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${this.random.nameSuffix()}`;
    const name: string = meta.name ?? '';
    admit(this.attrs('CREATE', target, name, obj, undefined, dryRun));
    if (type.kind === 'Service') this.allocateService(obj, undefined, name);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    prepareForCreate(type, obj);
    meta.uid = this.random.uuid();
    meta.creationTimestamp = rfc3339(this.clock.now());
    if (usesGeneration(type)) meta.generation = 1;
    else delete meta.generation;
    if (type.kind === 'Job') generateJobSelector(obj);
    if (type.kind === 'Namespace') meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': name };
    if (!this.applying) trackUpdate(obj, undefined, this.manager(req), apiVersionOf(type), meta.creationTimestamp, this.shapeOf(type));
    else obj.metadata.managedFields = this.applying;
    const errors = [...validateCreate(type.kind, type.namespaced, obj), ...(type.kind === 'CustomResourceDefinition' ? validateCRD(obj) : [])];
    if (errors.length) throw invalid(type, name, errors);
    validateAdmission(this.attrs('CREATE', target, name, obj, undefined, dryRun, warnings));
    const key = this.key(type, meta.namespace, name);
    if (type.kind === 'CustomResourceDefinition' && !dryRun && !this.store.get(key)) {
      // The apiextensions controllers accept the names and establish the CRD straight away.
      const established = establish(obj, rfc3339(this.clock.now()));
      const kv = this.store.put(key, established as KubeObject);
      this.syncCRD(established, undefined);
      return { status: 201, body: this.withVersion(kv.value, kv.modRevision, type), ...(warnings.length ? { warnings } : {}) };
    }
    if (this.store.get(key)) throw alreadyExists(type, name);
    omitEmptyMetadata(meta);
    const result = dryRun ? { value: obj as KubeObject, modRevision: this.store.revision() } : this.store.put(key, obj as KubeObject);
    if (!dryRun) this.expireLater(type, key, result.modRevision);
    return { status: 201, body: this.withVersion(result.value, result.modRevision, type), ...(warnings.length ? { warnings } : {}) };
  }

  /** The identity a request acts as: the impersonated one, else kubeadm's kubernetes-admin. */
  private requestUser(req: ApiRequest): UserInfo {
    const i = req.impersonate;
    if (!i) return KUBERNETES_ADMIN;
    return { username: i.username, groups: effectiveGroups({ username: i.username, groups: i.groups ?? [] }), ...(i.uid ? { uid: i.uid } : {}) };
  }

  private readonly rbacObjects: RbacObjects = {
    clusterRoles: () => this.listByResource('clusterroles', 'rbac.authorization.k8s.io', undefined),
    clusterRoleBindings: () => this.listByResource('clusterrolebindings', 'rbac.authorization.k8s.io', undefined),
    roles: (ns) => this.listByResource('roles', 'rbac.authorization.k8s.io', ns),
    roleBindings: (ns) => this.listByResource('rolebindings', 'rbac.authorization.k8s.io', ns),
  };

  /** RBAC for impersonated requests: Forbidden as kube-apiserver words it. */
  private authorizeRequest(req: ApiRequest, target: Target): void {
    if (!req.impersonate) return;
    const user = this.requestUser(req);
    const query = req.query ?? {};
    const verb =
      req.method === 'GET' ? (target.name ? 'get' : query.watch === 'true' ? 'watch' : 'list')
      : req.method === 'POST' ? 'create'
      : req.method === 'PUT' ? 'update'
      : req.method === 'PATCH' ? 'patch'
      : target.name ? 'delete' : 'deletecollection';
    const attrs = { verb, group: target.type.group, resource: target.type.name, subresource: target.subresource ?? '', name: target.name ?? '', namespace: target.namespace ?? '' };
    if (authorize(this.rbacObjects, user, attrs).allowed) return;
    const resource = target.subresource ? `${target.type.name}/${target.subresource}` : target.type.name;
    const scope = target.namespace ? `in the namespace "${target.namespace}"` : 'at the cluster scope';
    const reason = `User "${user.username}" cannot ${verb} resource "${resource}" in API group "${target.type.group}" ${scope}`;
    if (target.name) throw forbidden(target.type, target.name, reason);
    throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${qualifiedResource(target.type)} is forbidden: ${reason}`, reason: 'Forbidden', details: { ...(target.type.group ? { group: target.type.group } : {}), kind: target.type.name }, code: 403 });
  }

  /**
   * Reviews are answered, not stored, by the RBAC authorizer: for the caller (kubeadm's
   * kubernetes-admin, or whom it impersonates) or, in SubjectAccessReviews, for the spec's user.
   */
  private review(obj: Obj, req: ApiRequest, namespace: string | undefined): ApiResponse {
    const caller = this.requestUser(req);
    const base = { ...obj, metadata: { ...(obj.metadata ?? {}), creationTimestamp: null } };
    const spec = obj.spec ?? {};
    const subject: UserInfo =
      obj.kind === 'SubjectAccessReview' || obj.kind === 'LocalSubjectAccessReview'
        ? { username: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}) }
        : caller;
    switch (obj.kind) {
      case 'SelfSubjectReview':
        return { status: 201, body: { ...base, status: { userInfo: { username: caller.username, ...(caller.uid ? { uid: caller.uid } : {}), groups: caller.groups } } } };
      case 'TokenReview':
        return { status: 201, body: { ...base, status: { authenticated: true, user: KUBERNETES_ADMIN, audiences: ['https://kubernetes.default.svc.cluster.local'] } } };
      case 'SelfSubjectRulesReview': {
        const rules = rulesFor(this.rbacObjects, caller, spec.namespace ?? '');
        const resourceRules = rules.filter((r) => !r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}), ...(r.resources ? { resources: r.resources } : {}), ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));
        const nonResourceRules = rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }));
        return { status: 201, body: { ...base, status: { resourceRules, nonResourceRules, incomplete: false } } };
      }
      default: {
        const ra = spec.resourceAttributes;
        const nra = spec.nonResourceAttributes;
        const attrs = nra
          ? { verb: nra.verb ?? '', path: nra.path ?? '' }
          : { verb: ra?.verb ?? '', group: ra?.group ?? '', resource: ra?.resource ?? '', subresource: ra?.subresource ?? '', name: ra?.name ?? '', namespace: (obj.kind === 'LocalSubjectAccessReview' ? namespace : ra?.namespace) ?? '' };
        const groups = obj.kind === 'SubjectAccessReview' || obj.kind === 'LocalSubjectAccessReview' ? subject.groups : caller.groups;
        const result = authorize(this.rbacObjects, { ...subject, groups }, attrs);
        return { status: 201, body: { ...base, status: { allowed: result.allowed, ...(result.reason ? { reason: result.reason } : {}) } } };
      }
    }
  }

  /** Service ClusterIP and NodePort allocation (the service REST's BeginCreate/BeginUpdate). */
  private allocateService(svc: Obj, old: Obj | undefined, name: string): void {
    const spec = svc.spec;
    const others = this.listByResource('services', '', undefined).filter(
      (s) => !(s.metadata.name === name && s.metadata.namespace === svc.metadata.namespace),
    );
    const errs: FieldError[] = [];
    if (spec.type !== 'ExternalName') {
      if (old?.spec?.clusterIP && !spec.clusterIP) spec.clusterIP = old.spec.clusterIP;
      if (!spec.clusterIP) {
        const ip = this.clusterIPs.allocate(new Set(others.map((s) => s.spec?.clusterIP).filter(Boolean)));
        if (!ip) throw invalid({ kind: 'Service', group: '' }, name, [invalidField('spec.clusterIPs', null, 'failed to allocate IP: range is full')]);
        spec.clusterIP = ip;
      } else if (spec.clusterIP !== 'None' && spec.clusterIP !== old?.spec?.clusterIP) {
        if (!this.clusterIPs.contains(spec.clusterIP))
          errs.push(invalidField('spec.clusterIPs', { goString: `[]string{${JSON.stringify(spec.clusterIP)}}` }, `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`));
        else if (others.some((s) => s.spec?.clusterIP === spec.clusterIP))
          errs.push(invalidField('spec.clusterIPs', { goString: `[]string{${JSON.stringify(spec.clusterIP)}}` }, `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`));
      }
      spec.clusterIPs = [spec.clusterIP];
      if (spec.clusterIP !== 'None' || spec.selector) {
        spec.ipFamilies = spec.ipFamilies ?? ['IPv4'];
        spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? 'SingleStack';
      } else {
        spec.ipFamilies = spec.ipFamilies ?? ['IPv4'];
        spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? 'RequireDualStack';
      }
    } else {
      delete spec.clusterIP;
    }
    if (spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)) {
      const used = new Set<number>(others.flatMap((s) => (s.spec?.ports ?? []).map((p: Obj) => p.nodePort).filter(Boolean)));
      (spec.ports ?? []).forEach((p: Obj, i: number) => {
        const previous = old?.spec?.ports?.find((o: Obj) => o.port === p.port && o.protocol === p.protocol)?.nodePort;
        if (!p.nodePort && previous) p.nodePort = previous;
        if (p.nodePort) {
          if (p.nodePort === previous) {
            used.add(p.nodePort);
            return;
          }
          if (!this.nodePorts.inRange(p.nodePort))
            errs.push(invalidField(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
          else if (used.has(p.nodePort)) errs.push(invalidField(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
          used.add(p.nodePort);
        } else {
          const port = this.nodePorts.allocate(used);
          if (port !== undefined) {
            p.nodePort = port;
            used.add(port);
          }
        }
      });
    } else {
      for (const p of spec.ports ?? []) if (p.nodePort && old?.spec?.ports?.some((o: Obj) => o.nodePort === p.nodePort)) delete p.nodePort;
    }
    if (errs.length) throw invalid({ kind: 'Service', group: '' }, name, errs);
  }

  private update(req: ApiRequest, target: Target): ApiResponse {
    const { type } = target;
    if (target.subresource === 'scale') return this.applyUpdate(req, target, this.decodeScale(req), []);
    const { obj, warnings } = this.decode(req, type, target.subresource === 'status');
    return this.applyUpdate(req, target, obj, warnings);
  }

  /** The body of a PUT to /scale: an autoscaling/v1 Scale, not the parent kind. */
  private decodeScale(req: ApiRequest): Obj {
    const body = req.body ?? (req.rawBody !== undefined ? parseJson(req.rawBody) : undefined);
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body))
      throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/cbor`);
    const b = body as Obj;
    if (b.kind !== undefined && b.kind !== 'Scale')
      throw badRequest(`${b.kind} in version "v1" cannot be handled as a Scale: no kind "${b.kind}" is registered for version "autoscaling/v1" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`);
    return clone(b);
  }

  /** Shared by PUT and PATCH: preconditions, strategy, validation, admission and storage. */
  private applyUpdate(req: ApiRequest, target: Target, obj: Obj, warnings: string[]): ApiResponse {
    const { type } = target;
    const name = target.name!;
    const dryRun = req.query?.dryRun === 'All';
    const meta = (obj.metadata = obj.metadata ?? {});
    if (meta.name && meta.name !== name)
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    meta.name = name;
    if (type.namespaced) {
      if (meta.namespace && meta.namespace !== target.namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = target.namespace;
    } else {
      delete meta.namespace;
    }
    const current = this.stored(type, target.namespace, name);
    if (!current) throw notFound(type, name);
    const old = current.obj as Obj;
    if (meta.resourceVersion && meta.resourceVersion !== String(current.rev))
      throw conflict(type, name, 'the object has been modified; please apply your changes to the latest version and try again');
    if (meta.uid && meta.uid !== old.metadata.uid)
      throw conflict(type, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`);
    // System fields come from the stored object.
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) {
      meta.deletionTimestamp = old.metadata.deletionTimestamp;
      meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (target.subresource === 'status') {
      // A status update changes status (and nothing else).
      // The stored object is frozen: the update shares everything but status and metadata's top level.
      const next: Obj = { ...old, status: obj.status };
      next.metadata = { ...old.metadata };
      // The Deployment status strategy resets only spec and labels: the controller records the
      // revision annotation through status updates.
      if (type.kind === 'Deployment') {
        if (meta.annotations) next.metadata.annotations = meta.annotations;
        else delete next.metadata.annotations;
      }
      let changed = false;
      if (this.applying) next.metadata.managedFields = this.applying;
      else changed = trackUpdate(next, old, this.manager(req), apiVersionOf(type), rfc3339(this.clock.now()), this.shapeOf(type), 'status');
      return this.commit(target, next, old, current.rev, warnings, dryRun, changed);
    }
    if (target.subresource === 'scale') return this.updateScale(req, target, obj, old, current.rev);
    if (target.subresource === 'approval' && type.kind === 'CertificateSigningRequest') {
      // kubectl certificate approve|deny: only the Approved/Denied conditions change.
      const next: Obj = { ...old, metadata: { ...old.metadata }, status: { ...(old.status ?? {}), conditions: obj.status?.conditions ?? [] } };
      if (!next.status.conditions.length) delete next.status.conditions;
      return this.commit(target, next, old, current.rev, warnings, dryRun);
    }
    if (target.subresource === 'finalize' && type.kind === 'Namespace') {
      const next: Obj = clone(old);
      next.spec = { ...(next.spec ?? {}), finalizers: obj.spec?.finalizers ?? [] };
      return this.commit(target, next, old, current.rev, warnings, dryRun);
    }
    if (target.subresource === 'ephemeralcontainers' && type.kind === 'Pod') {
      // Only spec.ephemeralContainers changes (dropNonEphemeralContainerUpdates); the rest is the stored pod's.
      const next: Obj = { ...old, metadata: { ...old.metadata }, spec: { ...old.spec } };
      if (obj.spec?.ephemeralContainers?.length) next.spec.ephemeralContainers = obj.spec.ephemeralContainers;
      else delete next.spec.ephemeralContainers;
      const errors = validateEphemeralContainersUpdate(next, old);
      if (errors.length) throw invalid(type, name, errors);
      const changed = trackUpdate(next, old, this.manager(req), apiVersionOf(type), rfc3339(this.clock.now()), this.shapeOf(type), 'ephemeralcontainers');
      return this.commit(target, next, old, current.rev, warnings, dryRun, changed);
    }
    if (target.subresource) throw methodNotAllowed();
    if (hasStatusSubresource(type) && type.kind !== 'Node' && type.kind !== 'Namespace') obj.status = clone(old.status);
    if (type.kind === 'Namespace') obj.status = clone(old.status);
    if (type.kind === 'Service') this.allocateService(obj, old, name);
    if (usesGeneration(type)) meta.generation = (old.metadata.generation ?? 1) + (specChanged(type, obj, old) ? 1 : 0);
    else delete meta.generation;
    if (this.applying) meta.managedFields = this.applying;
    else {
      if (!meta.managedFields) meta.managedFields = old.metadata.managedFields;
      trackUpdate(obj, old, this.manager(req), apiVersionOf(type), rfc3339(this.clock.now()), this.shapeOf(type));
    }
    admit(this.attrs('UPDATE', target, name, obj, old, dryRun));
    const errors = [...validateUpdate(type.kind, type.namespaced, obj, old), ...(type.kind === 'CustomResourceDefinition' ? validateCRD(obj) : [])];
    if (errors.length) throw invalid(type, name, errors);
    if (type.kind === 'CustomResourceDefinition' && !dryRun) {
      const est = establish(obj, (old.status?.conditions?.[0]?.lastTransitionTime as string) ?? rfc3339(this.clock.now()));
      obj.status = est.status;
      this.syncCRD(obj, old);
    }
    validateAdmission(this.attrs('UPDATE', target, name, obj, old, dryRun));
    return this.commit(target, obj, old, current.rev, warnings, dryRun);
  }

  /**
   * Stores an update unless nothing changed (`changed` when the caller already knows some field
   * did); finishes deletion once the last finalizer is gone.
   */
  private commit(target: Target, obj: Obj, old: Obj, rev: number, warnings: string[], dryRun: boolean, changed = false): ApiResponse {
    const { type } = target;
    const key = this.key(type, target.namespace, target.name!);
    const withWarnings = (r: ApiResponse) => (warnings.length ? { ...r, warnings } : r);
    const strip = (o: Obj) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
    if (obj !== old && hasEmptyMetadata(obj.metadata)) obj = { ...obj, metadata: omitEmptyMetadata({ ...obj.metadata }) };
    if (!changed && jsonEqual(strip(obj), strip(old))) return withWarnings(ok(this.withVersion(old as KubeObject, rev, type)));
    if (dryRun) return withWarnings(ok({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } }));
    if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0 && this.readyToDelete(type, obj)) {
      const gone = this.store.delete<KubeObject>(key)!;
      return withWarnings(ok(this.withVersion({ ...gone.value, ...obj } as KubeObject, this.store.revision(), type)));
    }
    const kv = this.store.put(key, obj as KubeObject);
    this.expireLater(type, key, kv.modRevision);
    return withWarnings(ok(this.withVersion(kv.value, kv.modRevision, type)));
  }

  /** Events live for an hour after their last change (kube-apiserver --event-ttl=1h). */
  private expireLater(type: ResourceType, key: string, revision: number): void {
    if (type.name !== 'events') return;
    // One clock event per instant of writing, for every Event written then: they fall due
    // together and in write order, as one clock event each would (no other clock event is
    // scheduled an hour ahead, so none can come between them).
    const now = this.clock.now();
    let batch = this.expiring;
    if (!batch || batch.at !== now) {
      const fresh = { at: now, keys: [] as string[], revisions: [] as number[] };
      this.expiring = batch = fresh;
      this.clock.schedule(EVENT_TTL_MS, () => {
        if (this.expiring === fresh) this.expiring = undefined;
        for (let i = 0; i < fresh.keys.length; i++) {
          const k = fresh.keys[i]!;
          if (this.store.get(k)?.modRevision === fresh.revisions[i]) this.store.delete(k);
        }
      });
    }
    batch.keys.push(key);
    batch.revisions.push(revision);
  }

  /** Events written at the current instant, to expire together an hour later. */
  private expiring: { at: number; keys: string[]; revisions: number[] } | undefined;

  /** A pod being deleted gracefully stays until its kubelet confirms; other objects go with their last finalizer. */
  private readyToDelete(type: ResourceType, obj: Obj): boolean {
    if (type.kind === 'Pod' && obj.spec?.nodeName && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0) return false;
    if (type.kind === 'Namespace') return (obj.spec?.finalizers ?? []).length === 0;
    return true;
  }

  /** managedFields an apply has computed, for the create/update that stores its result. */
  private applying: Obj[] | undefined;

  /** Server-side apply (PATCH with application/apply-patch+yaml): create or merge, with field ownership. */
  private serverSideApply(req: ApiRequest, target: Target): ApiResponse {
    const { type } = target;
    const name = target.name!;
    const query = req.query ?? {};
    if (query.fieldManager === undefined) throw badRequest('fieldManager is required for apply requests');
    const manager = this.manager(req);
    const force = query.force === 'true';
    let applied: unknown = req.body;
    if (applied === undefined && req.rawBody !== undefined) {
      try {
        applied = parseYaml(req.rawBody);
      } catch (err) {
        throw badRequest(`error decoding YAML: ${(err as Error).message}`);
      }
    }
    if (!applied || typeof applied !== 'object' || Array.isArray(applied)) throw badRequest('the body of an apply request must be an object');
    const appliedObj = applied as Obj;
    if (appliedObj.metadata?.name && appliedObj.metadata.name !== name)
      throw badRequest(`the name of the object (${appliedObj.metadata.name}) does not match the name on the URL (${name})`);
    // The applied configuration is decoded (strictly by default) before it is merged.
    const checked = this.decode({ ...req, body: { ...appliedObj, metadata: { ...(appliedObj.metadata ?? {}), name } }, rawBody: undefined, query: { fieldValidation: 'Strict', ...query } }, type);
    const intent = checked.obj;
    const current = this.stored(type, target.namespace, name);
    const now = rfc3339(this.clock.now());
    const gv = apiVersionOf(type);
    let merged: Obj;
    try {
      merged = serverSideApply(current ? clone(current.obj) : undefined, intent, manager, force, gv, now, this.shapeOf(type), target.subresource);
    } catch (err) {
      if (err instanceof ApplyConflictError) {
        throw new ApiError({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: err.message,
          reason: 'Conflict',
          details: { causes: err.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${JSON.stringify(c.manager.manager)}${c.manager.operation === 'Update' ? ` using ${c.manager.apiVersion}` : ''}`, field: pathStringOf(c.path) })) },
          code: 409,
        });
      }
      throw err;
    }
    // The stored copy's resourceVersion says nothing about this request: only one the applied
    // configuration names is a precondition.
    if (intent.metadata?.resourceVersion) merged.metadata.resourceVersion = intent.metadata.resourceVersion;
    else delete merged.metadata.resourceVersion;
    this.applying = merged.metadata.managedFields;
    try {
      if (!current) {
        if (target.subresource) throw notFound(type, name);
        const res = this.create({ ...req, method: 'POST', body: merged, rawBody: undefined, query: { ...query, fieldValidation: 'Ignore' } }, { ...target, name: undefined });
        return { ...res, ...(checked.warnings.length ? { warnings: checked.warnings } : {}) };
      }
      const { obj } = this.decode({ ...req, body: merged, rawBody: undefined, query: { ...query, fieldValidation: 'Ignore' } }, type);
      return this.applyUpdate(req, target, obj, checked.warnings);
    } finally {
      this.applying = undefined;
    }
  }

  private patch(req: ApiRequest, target: Target): ApiResponse {
    const { type } = target;
    const name = target.name!;
    if (req.contentType === 'application/apply-patch+yaml') return this.serverSideApply(req, target);
    const current = this.stored(type, target.namespace, name);
    if (!current) throw notFound(type, name);
    const base: Obj = clone(this.withVersion(current.obj, current.rev, type));
    const patchBody = req.body ?? (req.rawBody !== undefined ? parseJson(req.rawBody) : undefined);
    let patched: unknown;
    try {
      switch (req.contentType) {
        case 'application/json-patch+json':
          patched = applyJsonPatch(base, patchBody);
          break;
        case 'application/merge-patch+json':
          patched = applyMergePatch(base, patchBody);
          break;
        case 'application/strategic-merge-patch+json':
          if (!type.definition) throw unsupportedMediaType();
          patched = applyStrategicMergePatch(base, patchBody, type.definition);
          break;
        default:
          throw unsupportedMediaType();
      }
    } catch (err) {
      if (err instanceof PatchError) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: 'UnprocessableEntity', code: 422 });
      throw err;
    }
    // A patch is decoded like a full object; the resourceVersion it carries (if any) is a precondition.
    const patchedObj = patched as Obj;
    const patchRv = (patchBody as Obj | undefined)?.metadata?.resourceVersion;
    patchedObj.metadata = { ...(patchedObj.metadata ?? {}) };
    if (patchRv === undefined) delete patchedObj.metadata.resourceVersion;
    if (target.subresource === 'status' || target.subresource === 'scale') {
      if (target.subresource === 'scale') return this.updateScale(req, target, patchedObj, current.obj as Obj, current.rev);
      const sub: ApiRequest = { ...req, body: patchedObj, rawBody: undefined };
      const { obj } = this.decode(sub, type, true);
      return this.applyUpdate(sub, target, obj, []);
    }
    const { obj, warnings } = this.decode({ ...req, body: patchedObj, rawBody: undefined }, type);
    return this.applyUpdate(req, target, obj, warnings);
  }

  private scaleOf(type: ResourceType, obj: KubeObject): KubeObject {
    const o = obj as Obj;
    // LabelSelectorAsSelector(...).String() (SelectorFromSet for a ReplicationController).
    const selector = selectorString(type.kind === 'ReplicationController' ? { matchLabels: o.spec?.selector ?? {} } : o.spec?.selector);
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: o.spec?.replicas ?? 0 },
      status: { replicas: o.status?.replicas ?? 0, selector },
    };
  }

  private updateScale(req: ApiRequest, target: Target, scale: Obj, old: Obj, rev: number): ApiResponse {
    const replicas = scale.spec?.replicas;
    if (typeof replicas !== 'number' || replicas < 0)
      throw invalid({ kind: 'Scale', group: 'autoscaling' }, target.name!, [invalidField('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
    const rv = scale.metadata?.resourceVersion;
    if (rv && rv !== String(rev)) throw conflict(target.type, target.name!, 'the object has been modified; please apply your changes to the latest version and try again');
    const next: Obj = clone(old);
    next.spec = { ...next.spec, replicas };
    if (usesGeneration(target.type) && replicas !== old.spec?.replicas) next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    const res = this.commit({ ...target, subresource: undefined }, next, old, rev, [], req.query?.dryRun === 'All');
    return ok(this.scaleOf(target.type, res.body as KubeObject));
  }

  private createSubresource(req: ApiRequest, target: Target): ApiResponse {
    const { type } = target;
    const name = target.name!;
    if (type.kind === 'Pod' && target.subresource === 'binding') {
      const binding = (req.body ?? parseJson(req.rawBody ?? '{}')) as Obj;
      const current = this.stored(type, target.namespace, name);
      if (!current) throw notFound(type, name);
      // The stored pod is frozen: the bound one shares all but the spec and status it changes.
      const old = current.obj as Obj;
      if (old.spec.nodeName) throw conflict(type, name, `pod ${name} is already assigned to node "${old.spec.nodeName}"`);
      if (old.metadata.deletionTimestamp) throw conflict(type, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      const conditions = (old.status.conditions ?? []).filter((c: Obj) => c.type !== 'PodScheduled');
      const pod: Obj = {
        ...old,
        spec: { ...old.spec, nodeName: binding.target?.name },
        status: {
          ...old.status,
          conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(this.clock.now()) }],
        },
      };
      this.store.put(this.key(type, target.namespace, name), pod as KubeObject);
      return { status: 201, body: successStatus() };
    }
    if (type.kind === 'Pod' && target.subresource === 'eviction') return this.evict(req, target);
    if (type.kind === 'ServiceAccount' && target.subresource === 'token') return this.requestToken(req, target);
    throw methodNotAllowed();
  }

  /**
   * The eviction subresource (pkg/registry/core/pod/storage/eviction.go): deletes a pod unless that
   * would break its PodDisruptionBudget, marking it first with the DisruptionTarget condition.
   */
  /**
   * TokenRequest (serviceaccounts/NAME/token, what `kubectl create token` and the kubelet use):
   * a bound service account token for the API server's audience, valid for expirationSeconds
   * (an hour by default, at least ten minutes). A token bound to a pod carries the pod and its
   * node; the kubelet's 3607 s tokens are extended to a year with a warning time, as
   * --service-account-extend-token-expiration does.
   */
  private requestToken(req: ApiRequest, target: Target): ApiResponse {
    const body = (req.body ?? parseJson(req.rawBody ?? '{}') ?? {}) as Obj;
    const name = target.name!;
    const ns = target.namespace!;
    const sa = this.stored(target.type, ns, name);
    if (!sa) throw notFound(target.type, name);
    const spec = (body.spec ?? {}) as Obj;
    const requested: number = spec.expirationSeconds ?? 3600;
    const tokenType = { kind: 'TokenRequest', group: 'authentication.k8s.io' };
    if (requested < 600) throw invalid(tokenType, name, [invalidField('spec.expirationSeconds', requested, 'may not specify a duration less than 10 minutes')]);
    if (requested > 2 ** 32) throw invalid(tokenType, name, [invalidField('spec.expirationSeconds', requested, 'may not specify a duration larger than 2^32 seconds')]);
    const audiences: string[] = spec.audiences?.length ? spec.audiences : ['https://kubernetes.default.svc.cluster.local'];
    const ref = spec.boundObjectRef as Obj | undefined;
    const now = Math.floor(this.clock.now() / 1000);
    const binding: Obj = {};
    let extended = false;
    if (ref) {
      const kind = ref.kind as string;
      const bound = kind === 'Pod' ? this.getByResource('pods', '', ns, ref.name) : kind === 'Secret' ? this.getByResource('secrets', '', ns, ref.name) : undefined;
      if (!bound) throw notFound(this.registry.byResource(kind === 'Pod' ? 'pods' : 'secrets', '')!, ref.name);
      if (ref.uid && ref.uid !== bound.metadata.uid) throw conflict(target.type, name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
      if (kind === 'Pod') {
        binding.pod = { name: bound.metadata.name, uid: bound.metadata.uid };
        const node = bound.spec?.nodeName ? this.getByResource('nodes', '', undefined, bound.spec.nodeName) : undefined;
        if (node) binding.node = { name: node.metadata.name, uid: node.metadata.uid };
        extended = requested === 3607 && audiences.length === 1 && audiences[0] === 'https://kubernetes.default.svc.cluster.local';
      } else binding.secret = { name: bound.metadata.name, uid: bound.metadata.uid };
    }
    const token = signJwt({
      aud: audiences,
      exp: now + (extended ? 365 * 24 * 3600 : requested),
      iat: now,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: this.random.uuid(),
      'kubernetes.io': {
        namespace: ns,
        ...binding,
        serviceaccount: { name, uid: (sa.obj as Obj).metadata.uid },
        ...(extended ? { warnafter: now + requested } : {}),
      },
      nbf: now,
      sub: `system:serviceaccount:${ns}:${name}`,
    });
    return {
      status: 201,
      body: {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name, namespace: ns, creationTimestamp: null },
        spec: { audiences, expirationSeconds: requested, boundObjectRef: ref ?? null },
        status: { token, expirationTimestamp: rfc3339((now + requested) * 1000) },
      },
    };
  }

  private evict(req: ApiRequest, target: Target): ApiResponse {
    const { type } = target;
    const name = target.name!;
    const eviction = (req.body ?? parseJson(req.rawBody ?? '{}')) as Obj;
    if ((eviction.metadata?.name ?? '') !== name) throw badRequest('name in URL does not match name in Eviction object');
    const current = this.stored(type, target.namespace, name);
    if (!current) throw notFound(type, name);
    const pod = current.obj as Obj;
    const options: Obj = eviction.deleteOptions ?? {};
    const dryRun = req.query?.dryRun === 'All' || (options.dryRun ?? []).includes('All');
    // addConditionAndDeletePod: outside a dry run the pod gets DisruptionTarget (a status update
    // that checks the delete's preconditions against the latest pod), then the delete runs.
    const addConditionAndDelete = (): ApiResponse => {
      let deleteOptions = options;
      if (!dryRun) {
        const latest = this.stored(type, target.namespace, name);
        if (!latest) throw notFound(type, name);
        const old = latest.obj as Obj;
        const pre: Obj = options.preconditions ?? {};
        const podResource = { name: 'Pod', group: '' };
        if (pre.uid && pre.uid !== old.metadata.uid)
          throw conflict(podResource, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${old.metadata.uid}). The object might have been deleted and then recreated`);
        if (pre.resourceVersion && pre.resourceVersion !== String(latest.rev))
          throw conflict(podResource, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${latest.rev}). The object might have been modified`);
        // UpdatePodCondition: the transition time moves only when the status does.
        const conditions: Obj[] = old.status?.conditions ?? [];
        const existing = conditions.find((c) => c.type === 'DisruptionTarget');
        const condition = {
          type: 'DisruptionTarget',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: existing?.status === 'True' ? existing.lastTransitionTime : rfc3339(this.clock.now()),
          reason: 'EvictionByEvictionAPI',
          message: 'Eviction API: evicting',
        };
        const next = existing ? conditions.map((c) => (c === existing ? condition : c)) : [...conditions, condition];
        if (!jsonEqual(next, conditions)) {
          const kv = this.store.put(this.key(type, target.namespace, name), { ...old, status: { ...old.status, conditions: next } } as KubeObject);
          // The delete's resourceVersion precondition moves past the eviction's own update.
          if (pre.resourceVersion) deleteOptions = { ...options, preconditions: { ...pre, resourceVersion: String(kv.modRevision) } };
        }
      }
      const res = this.delete({ method: 'DELETE', path: req.path, body: deleteOptions, ...(req.query ? { query: req.query } : {}) }, { ...target, subresource: undefined });
      if (res.status >= 400) return res;
      return { status: 201, body: { ...successStatus(), code: 201 } };
    };
    // canIgnorePDB: pods already going, not running yet, or finished are evicted without asking their budget.
    if (pod.metadata.deletionTimestamp || ['Pending', 'Succeeded', 'Failed'].includes(pod.status?.phase)) return addConditionAndDelete();
    // policy/v1: a missing selector matches no pod, an empty one every pod.
    const pdbs = this.listByResource('poddisruptionbudgets', 'policy', target.namespace).filter((pdb) => pdb.spec?.selector && matchesLabels(toSelectorRequirements(pdb.spec.selector), pod.metadata.labels));
    // Upstream returns this Failure Status as the created object: HTTP 201, code 500 in the body.
    if (pdbs.length > 1)
      return { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 } };
    const pdb = pdbs[0];
    if (!pdb) return addConditionAndDelete();
    const status: Obj = pdb.status ?? {};
    // An unready pod does not count as healthy: it goes without spending the budget when the
    // policy is AlwaysAllow, or (IfHealthyBudget, the default) while the budget is met.
    const ready = ((pod.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');
    if (!ready) {
      const desired = status.desiredHealthy ?? 0;
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((status.currentHealthy ?? 0) >= desired && desired > 0)) return addConditionAndDelete();
    }
    // checkAndDecrement.
    const cannotEvict = (cause: string, retryAfterSeconds: number) =>
      new ApiError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: { causes: [{ reason: 'DisruptionBudget', message: cause }], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) } as Status['details'],
        code: 429,
      });
    const pdbForbidden = (why: string) =>
      new ApiError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `poddisruptionbudget.policy "${pdb.metadata.name}" is forbidden: ${why}`,
        reason: 'Forbidden',
        details: { name: pdb.metadata.name, group: 'policy', kind: 'poddisruptionbudget' },
        code: 403,
      });
    if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw cannotEvict(`The disruption budget ${pdb.metadata.name} is still being processed by the server.`, 10);
    const allowed: number = status.disruptionsAllowed ?? 0;
    if (allowed < 0) throw pdbForbidden('pdb disruptions allowed is negative');
    if (Object.keys(status.disruptedPods ?? {}).length > 2000) throw pdbForbidden('DisruptedPods map too big - too many evictions not confirmed by PDB controller');
    if (allowed === 0) throw cannotEvict(`The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`, 0);
    if (!dryRun) {
      // The budget is spent at once; at zero its DisruptionAllowed condition turns False (InsufficientPods).
      let conditions: Obj[] | undefined = status.conditions;
      if (allowed - 1 === 0) {
        const cond = { type: 'DisruptionAllowed', status: 'False', ...(status.observedGeneration ? { observedGeneration: status.observedGeneration } : {}), reason: 'InsufficientPods', message: '' };
        const old = (conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
        const now = rfc3339(this.clock.now());
        const make = (t: string) => ({ type: cond.type, status: cond.status, ...(cond.observedGeneration ? { observedGeneration: cond.observedGeneration } : {}), lastTransitionTime: t, reason: cond.reason, message: cond.message });
        conditions = old ? conditions!.map((c) => (c === old ? make(old.status === 'False' ? old.lastTransitionTime : now) : c)) : [...(conditions ?? []), make(now)];
      }
      const disrupted: Record<string, string> = { ...(status.disruptedPods ?? {}), [name]: rfc3339(this.clock.now()) };
      const disruptedPods = Object.fromEntries(Object.keys(disrupted).sort().map((k) => [k, disrupted[k]!]));
      // PodDisruptionBudgetStatus in its Go field order.
      const rest: Obj = { ...status };
      delete rest.observedGeneration;
      delete rest.disruptedPods;
      const next = clone(pdb);
      next.status = { ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}), disruptedPods, ...rest, disruptionsAllowed: allowed - 1, ...(conditions ? { conditions } : {}) };
      this.store.put(this.key(this.registry.byPath('policy', 'v1', 'poddisruptionbudgets')!, target.namespace, pdb.metadata.name), next as KubeObject);
    }
    return addConditionAndDelete();
  }

  private delete(req: ApiRequest, target: Target): ApiResponse {
    const { type } = target;
    const name = target.name!;
    if (target.subresource) throw methodNotAllowed();
    const options = (req.body ?? (req.rawBody ? parseJson(req.rawBody) : {}) ?? {}) as Obj;
    const query = req.query ?? {};
    const dryRun = query.dryRun === 'All' || (options.dryRun ?? []).includes('All');
    const current = this.stored(type, target.namespace, name);
    if (!current) throw notFound(type, name);
    const old = current.obj as Obj;
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== old.metadata.uid)
      throw conflict(type, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    if (pre.resourceVersion && pre.resourceVersion !== String(current.rev))
      throw conflict(type, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.rev}`);
    validateAdmission(this.attrs('DELETE', target, name, old, old, dryRun));
    const propagation: string = query.propagationPolicy ?? options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : 'Background');
    const graceText = query.gracePeriodSeconds ?? options.gracePeriodSeconds;
    let grace: number;
    const next: Obj = clone(old);
    const finalizers = new Set<string>(next.metadata.finalizers ?? []);
    if (propagation === 'Foreground') finalizers.add('foregroundDeletion');
    if (propagation === 'Orphan') finalizers.add('orphan');
    if (type.kind === 'Pod') {
      grace = graceText === undefined ? (next.spec?.terminationGracePeriodSeconds ?? 30) : Number(graceText);
      if (!next.spec?.nodeName || ['Succeeded', 'Failed'].includes(next.status?.phase)) grace = 0;
    } else {
      grace = 0;
    }
    if (type.kind === 'Namespace') {
      if (old.metadata.deletionTimestamp) return ok(this.withVersion(old as KubeObject, current.rev, type));
      next.metadata.deletionTimestamp = rfc3339(this.clock.now());
      next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      if (dryRun) return ok(next);
      const kv = this.store.put(this.key(type, target.namespace, name), next as KubeObject);
      return ok(this.withVersion(kv.value, kv.modRevision, type));
    }
    const graceful = grace > 0 || finalizers.size > 0;
    if (graceful) {
      let changed = false;
      if (!next.metadata.deletionTimestamp || grace < (next.metadata.deletionGracePeriodSeconds ?? Infinity)) {
        next.metadata.deletionTimestamp = rfc3339(this.clock.now() + grace * 1000);
        next.metadata.deletionGracePeriodSeconds = grace;
        changed = true;
      }
      if (finalizers.size) {
        changed ||= finalizers.size !== (old.metadata.finalizers ?? []).length;
        next.metadata.finalizers = [...finalizers];
      }
      // A deletion already pending with the same grace and finalizers is not written again.
      if (!changed) return ok(this.withVersion(old as KubeObject, current.rev, type));
      if (dryRun) return ok(next);
      const kv = this.store.put(this.key(type, target.namespace, name), next as KubeObject);
      return ok(this.withVersion(kv.value, kv.modRevision, type));
    }
    if (!dryRun && type.kind === 'CustomResourceDefinition') {
      // customresourcecleanup: the CRD's objects go with it.
      for (const t of crdTypes(old)) for (const kv of this.store.range(`${t.etcdPrefix}/`)) this.store.delete(kv.key);
      this.syncCRD(undefined, old);
    }
    if (!dryRun) this.store.delete(this.key(type, target.namespace, name));
    if (returnsDeletedObject(type)) return ok(this.withVersion(old as KubeObject, current.rev, type));
    return ok(successStatus({ name, ...(type.group ? { group: type.group } : {}), kind: type.name, uid: old.metadata.uid }));
  }

  private deleteCollection(req: ApiRequest, target: Target): ApiResponse {
    if (!target.type.verbs.includes('deletecollection')) throw methodNotAllowed();
    const listing = this.list(target, req.query ?? {});
    const deleted: KubeObject[] = [];
    for (const item of listing.items) {
      const res = this.delete({ ...req, query: { ...(req.query ?? {}) } }, { ...target, namespace: item.metadata.namespace, name: item.metadata.name });
      if (res.status === 200) deleted.push(item);
    }
    return ok({ apiVersion: apiVersionOf(target.type), kind: `${target.type.kind}List`, metadata: { resourceVersion: String(this.store.revision()) }, items: deleted });
  }

  // ---- rendering ------------------------------------------------------------------------

  private render(req: ApiRequest, obj: KubeObject, type?: ResourceType): unknown {
    if (req.as !== 'Table') return obj;
    const table = type?.custom ? this.customTable([obj], type, { resourceVersion: obj.metadata.resourceVersion ?? '' }) : this.table([obj], obj.kind, { resourceVersion: obj.metadata.resourceVersion ?? '' });
    return includeObject(table, [obj], req.query?.includeObject);
  }

  /** Tables for custom resources: NAME, the CRD's additionalPrinterColumns, then AGE. */
  private customTable(items: KubeObject[], type: ResourceType, metadata: Table['metadata']): Table {
    const now = this.clock.now();
    const columns = (type.custom?.printerColumns ?? []) as Obj[];
    const base = tableColumns(type.kind);
    const [nameCol, ageCol] = [base[0]!, base[base.length - 1]!];
    const hasAge = columns.some((c) => String(c.name).toLowerCase() === 'age');
    const defs = [
      nameCol,
      ...columns.map((c) => ({ name: c.name, type: c.type ?? 'string', format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })),
      ...(hasAge ? [] : [ageCol]),
    ];
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata,
      columnDefinitions: defs,
      rows: items.map((o) => {
        const cells: unknown[] = [o.metadata.name];
        for (const c of columns) {
          const v = columnValue(o as Obj, String(c.jsonPath ?? ''));
          if (v === undefined || v === null) cells.push(null);
          else if (c.type === 'date') cells.push(humanDuration(now - Date.parse(String(v))));
          else if (typeof v === 'object') cells.push(JSON.stringify(v));
          else cells.push(v);
        }
        if (!hasAge) cells.push(humanDuration(now - Date.parse(String(o.metadata.creationTimestamp))));
        return { cells, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } };
      }),
    };
  }

  private renderList(req: ApiRequest, type: ResourceType, listing: Listing): unknown {
    const meta = {
      resourceVersion: listing.resourceVersion,
      ...(listing.continue ? { continue: listing.continue } : {}),
      ...(listing.remainingItemCount !== undefined ? { remainingItemCount: listing.remainingItemCount } : {}),
    };
    if (req.as === 'Table')
      return includeObject(type.custom ? this.customTable(listing.items, type, meta) : this.table(listing.items, type.kind, meta), listing.items, req.query?.includeObject);
    const list: KubeList = { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: meta, items: listing.items };
    return list;
  }

  private table(items: KubeObject[], kind: string, metadata: Table['metadata']): Table {
    const now = this.clock.now();
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata,
      columnDefinitions: tableColumns(kind),
      rows: items.map((o) => tableRow(o, now)),
    };
  }

  // ---- discovery ------------------------------------------------------------------------

  private versionInfo(): Record<string, string> {
    return {
      major: this.version.major,
      minor: this.version.minor,
      gitVersion: this.version.gitVersion,
      gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
      gitTreeState: 'clean',
      buildDate: '2025-04-22T16:02:27Z',
      goVersion: 'go1.23.6',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }

  private groupList(): unknown {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        ...this.registry
          .groups()
          .filter((g) => g.name !== '')
          .map((g) => this.groupInfo(g)),
        // Aggregated groups follow the built-in ones, as their APIServices' priorities order them.
        ...[...this.aggregated.values()].filter((a) => this.aggregatedApi(a.group)).map((a) => this.groupInfo({ name: a.group, versions: [a.version] })),
      ],
    };
  }

  private groupInfo(g: { name: string; versions: string[] }): unknown {
    return {
      name: g.name,
      versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
    };
  }

  private group(name: string): unknown {
    const g = this.registry.groups().find((x) => x.name === name);
    if (!g || !name) throw pathNotFound();
    return { kind: 'APIGroup', apiVersion: 'v1', ...(this.groupInfo(g) as object) };
  }

  private coreVersions(): unknown {
    const core = this.registry.groups().find((g) => g.name === '');
    return { kind: 'APIVersions', versions: core?.versions ?? [] };
  }

  private resourceList(group: string, version: string): unknown {
    const types = this.registry.all().filter((t) => t.group === group && t.version === version);
    if (types.length === 0) throw pathNotFound();
    const resources: unknown[] = [];
    for (const t of [...types].sort((a, b) => a.name.localeCompare(b.name))) {
      resources.push({
        name: t.name,
        singularName: t.singularName,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: t.verbs,
        ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
        ...(t.categories.length ? { categories: t.categories } : {}),
      });
      for (const sub of t.subresources) {
        resources.push({
          name: `${t.name}/${sub.name}`,
          singularName: '',
          namespaced: t.namespaced,
          ...(sub.group !== t.group || sub.version !== t.version ? { group: sub.group, version: sub.version } : {}),
          kind: sub.kind,
          verbs: sub.verbs,
        });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }
}

const EVENT_TTL_MS = 60 * 60_000;

/** What a clean body's decoding reports (never added to). */
const NO_PROBLEMS: readonly string[] = Object.freeze([]);

/** The non-empty segments of a request path, without its query. */
function pathSegments(path: string): string[] {
  const q = path.indexOf('?');
  const end = q < 0 ? path.length : q;
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= end; i++) {
    if (i < end && path.charCodeAt(i) !== 47 /* '/' */) continue;
    if (i > start) out.push(decodeSegment(path.slice(start, i)));
    start = i + 1;
  }
  return out;
}

/** A path segment as the API server reads it: percent-escapes decoded (`system%3Anode`). */
function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function internalErrorText(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 });
}

function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

function successStatus(details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`json: ${(err as Error).message}`);
  }
}

/** The continue token as kube-apiserver encodes it: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}. */
function encodeContinue(rv: number, start: string): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${start}\u0000` });
  return base64Encode(json, true);
}

function decodeContinue(token: string): { rv: number; start: string } | undefined {
  if (!/^[A-Za-z0-9+/_-]*=*$/.test(token)) return undefined;
  try {
    const parsed = JSON.parse(base64Decode(token)) as { v: string; rv: number; start: string };
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number') return undefined;
    return { rv: parsed.rv, start: parsed.start.replace(/\u0000$/, '') };
  } catch {
    return undefined;
  }
}

const OMITEMPTY_METADATA = ['labels', 'annotations', 'ownerReferences', 'finalizers'];

function isEmptyCollection(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.length === 0;
  for (const _ in v) return false;
  return true;
}

function hasEmptyMetadata(meta: Obj): boolean {
  for (const f of OMITEMPTY_METADATA) if (isEmptyCollection(meta[f])) return true;
  return false;
}

/** ObjectMeta's omitempty fields: an empty list or map is not stored (nor shown), as in Go. */
function omitEmptyMetadata(meta: Obj): Obj {
  for (const f of OMITEMPTY_METADATA) if (isEmptyCollection(meta[f])) delete meta[f];
  return meta;
}

/** A Table's rows carry the object's metadata by default, the whole object or nothing when asked (includeObject). */
function includeObject(table: Table, items: readonly KubeObject[], policy: string | undefined): Table {
  if (policy === 'Object') return { ...table, rows: table.rows.map((r, i) => ({ ...r, object: items[i]! })) };
  if (policy === 'None') return { ...table, rows: table.rows.map(({ object: _, ...r }) => r as Table['rows'][number]) };
  return table;
}

/** Kinds a POST evaluates and answers without storing anything. */
const REVIEW_KINDS = new Set(['SelfSubjectReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview', 'TokenReview']);
