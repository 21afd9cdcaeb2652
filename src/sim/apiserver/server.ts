/**
 * The API server: routes REST paths to resource types, reads and writes the store under
 * kubeadm's etcd key layout, and renders Tables. The same handler serves in-process clients
 * (our kubectl) and the HTTP facade.
 */
import type { VirtualClock } from '../clock';
import type { SeededRandom } from '../random';
import type { Store } from '../store';
import { rfc3339 } from './duration';
import { alreadyExists, ApiError, badRequest, notFound, pathNotFound } from './errors';
import { apiVersionOf, ResourceRegistry, type ResourceType } from './registry';
import { matchesLabels, parseLabelSelector, SelectorParseError } from './selector';
import { tableColumns, tableRow } from './tables/index';
import type { ApiRequest, ApiResponse, KubeList, KubeObject, Table } from './types';

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

interface ResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export class ApiServer {
  readonly registry = new ResourceRegistry();

  constructor(
    private readonly store: Store,
    private readonly clock: VirtualClock,
    private readonly random: SeededRandom,
    readonly version: ServerVersion,
  ) {}

  /** Handles one request; failures come back as a Status body with the error's HTTP code. */
  handle(req: ApiRequest): ApiResponse {
    try {
      return { status: 200, ...this.route(req) };
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status.code, body: err.status };
      throw err;
    }
  }

  /** Creates an object directly, as a control-plane component would (used by bootstrap). */
  create(obj: KubeObject): KubeObject {
    const type = this.registry.byKind(obj.apiVersion, obj.kind);
    if (!type) throw badRequest(`no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
    return this.createObject(type, obj);
  }

  private route(req: ApiRequest): { status?: number; body: unknown } {
    const segments = req.path.split('/').filter(Boolean);
    if (segments[0] === 'version' && segments.length === 1) return { body: this.versionInfo() };
    if (segments[0] === 'api' && segments.length === 1) return { body: this.coreVersions() };
    if (segments[0] === 'apis' && segments.length === 1) return { body: this.groupList() };
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments.length >= 2) {
      group = '';
      version = segments[1]!;
      rest = segments.slice(2);
    } else if (segments[0] === 'apis' && segments.length >= 3) {
      group = segments[1]!;
      version = segments[2]!;
      rest = segments.slice(3);
    } else {
      throw pathNotFound();
    }
    if (rest.length === 0) return { body: this.resourceList(group, version) };
    const target = this.parseResourcePath(group, version, rest);
    if (target.subresource) throw pathNotFound();
    switch (req.method) {
      case 'GET':
        if (target.name) return { body: this.render(req, this.getObject(target.type, target.namespace, target.name)) };
        return { body: this.renderList(req, target.type, this.listObjects(target.type, target.namespace, req.query)) };
      case 'POST': {
        if (target.name) throw pathNotFound();
        const obj = req.body as KubeObject;
        if (!obj || typeof obj !== 'object') throw badRequest('the request body must be a JSON object');
        const ns = target.type.namespaced ? target.namespace : undefined;
        return { status: 201, body: this.createObject(target.type, { ...obj, metadata: { ...obj.metadata, ...(ns ? { namespace: ns } : {}) } }) };
      }
      default:
        throw pathNotFound();
    }
  }

  private parseResourcePath(group: string, version: string, rest: string[]): ResourcePath {
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const type = this.registry.byPath(group, version, rest[2]!);
      if (type?.namespaced) return { type, namespace: rest[1]!, name: rest[3], subresource: rest[4] };
    }
    const type = this.registry.byPath(group, version, rest[0]!);
    if (!type || rest.length > 3) throw pathNotFound();
    return { type, name: rest[1], subresource: rest[2] };
  }

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return type.namespaced ? `${type.etcdPrefix}/${namespace}/${name}` : `${type.etcdPrefix}/${name}`;
  }

  private withVersion(obj: KubeObject, modRevision: number): KubeObject {
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(modRevision) } };
  }

  private getObject(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const kv = this.store.get<KubeObject>(this.key(type, namespace, name));
    if (!kv) throw notFound(type, name);
    return this.withVersion(kv.value, kv.modRevision);
  }

  private listObjects(type: ResourceType, namespace: string | undefined, query: Record<string, string> = {}): KubeObject[] {
    const prefix = type.namespaced && namespace ? `${type.etcdPrefix}/${namespace}/` : `${type.etcdPrefix}/`;
    let selector;
    try {
      selector = query.labelSelector ? parseLabelSelector(query.labelSelector) : undefined;
    } catch (err) {
      if (err instanceof SelectorParseError) throw badRequest(`unable to parse requirement: ${err.message}`);
      throw err;
    }
    return this.store
      .range<KubeObject>(prefix)
      .filter((kv) => !selector || matchesLabels(selector, kv.value.metadata.labels))
      .map((kv) => this.withVersion(kv.value, kv.modRevision));
  }

  private createObject(type: ResourceType, input: KubeObject): KubeObject {
    const meta = { ...input.metadata };
    if (!meta.name && meta.generateName) meta.name = meta.generateName + this.random.nameSuffix();
    if (!meta.name) throw badRequest('resource name may not be empty');
    if (type.namespaced) meta.namespace = meta.namespace ?? 'default';
    const key = this.key(type, meta.namespace, meta.name);
    if (this.store.get(key)) throw alreadyExists(type, meta.name);
    meta.uid = this.random.uuid();
    meta.creationTimestamp = rfc3339(this.clock.now());
    delete meta.resourceVersion;
    const obj: KubeObject = { ...input, apiVersion: apiVersionOf(type), kind: type.kind, metadata: meta };
    const kv = this.store.put(key, obj);
    return this.withVersion(kv.value, kv.modRevision);
  }

  private render(req: ApiRequest, obj: KubeObject): unknown {
    if (req.as !== 'Table') return obj;
    return this.table([obj], obj.kind);
  }

  private renderList(req: ApiRequest, type: ResourceType, items: KubeObject[]): unknown {
    if (req.as === 'Table') return this.table(items, type.kind);
    const list: KubeList = {
      apiVersion: apiVersionOf(type),
      kind: `${type.kind}List`,
      metadata: { resourceVersion: String(this.store.revision()) },
      items,
    };
    return list;
  }

  private table(items: KubeObject[], kind: string): Table {
    const now = this.clock.now();
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: String(this.store.revision()) },
      columnDefinitions: tableColumns(kind),
      rows: items.map((o) => tableRow(o, now)),
    };
  }

  private versionInfo(): Record<string, string> {
    return {
      major: this.version.major,
      minor: this.version.minor,
      gitVersion: this.version.gitVersion,
      gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
      gitTreeState: 'clean',
      buildDate: '2025-04-22T16:02:27Z',
      goVersion: 'go1.23.8',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }

  private groupList(): unknown {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.registry
        .groups()
        .filter((g) => g.name !== '')
        .map((g) => ({
          name: g.name,
          versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
        })),
    };
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
