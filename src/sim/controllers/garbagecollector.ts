/**
 * The garbage collector (pkg/controller/garbagecollector): a graph of owner references over
 * every object. A dependent whose owners are all gone is deleted; an owner deleted with
 * propagationPolicy=Orphan (the "orphan" finalizer) first has its dependents' references removed;
 * one deleted with Foreground (the "foregroundDeletion" finalizer) waits until its dependents
 * with blockOwnerDeletion are gone, deleting them first. Work is per changed object: the graph is
 * kept up to date from the store's changes, never rebuilt.
 */
import type { PatchType, ResourceType } from '../apiserver';
import type { KeyValue, WatchEvent } from '../store';
import { errorMessage } from './replicaset';
import { RetryableError, type Controller, type ControllerContext, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';
/** Events are never owned and are the busiest prefix: the graph leaves them out. */
const IGNORED = ['/registry/events/'];
const NO_OWNERS: readonly Obj[] = Object.freeze([]);

interface GraphNode {
  key: string;
  /** UIDs of the objects that name this one as an owner. */
  dependents: Set<string>;
  owners: readonly Obj[];
}

export function garbageCollector(): Controller {
  return new GarbageCollector();
}

class GarbageCollector implements Controller {
  readonly name = 'garbage-collector-controller';
  private ctx!: ControllerContext;
  private readonly nodes = new Map<string, GraphNode>();
  /** Dependents of owners not (yet) in the graph, by owner UID. */
  private readonly pendingDependents = new Map<string, Set<string>>();
  private readonly types = new Map<string, ResourceType>();

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    for (const kv of ctx.store.range<Obj>('/registry/')) this.observe({ type: 'put', kv });
    ctx.store.watch('/registry/', (e) => this.observe(e as WatchEvent<Obj>));
  }

  private observe(e: WatchEvent<Obj>): void {
    const key = e.kv.key;
    if (IGNORED.some((p) => key.startsWith(p))) return;
    if (e.type === 'delete') return this.removed(e.prev ?? e.kv);
    const obj = e.kv.value;
    const uid: string | undefined = obj?.metadata?.uid;
    if (!uid) return;
    let node = this.nodes.get(uid);
    // One empty list for every object without owners, so an update that keeps none relinks nothing.
    const owners: readonly Obj[] = obj.metadata.ownerReferences ?? NO_OWNERS;
    if (!node) {
      node = { key, dependents: this.pendingDependents.get(uid) ?? new Set(), owners: NO_OWNERS };
      this.pendingDependents.delete(uid);
      this.nodes.set(uid, node);
    }
    if (node.owners !== owners) this.relink(uid, node, owners);
    const finalizers: string[] = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp) {
      if (finalizers.includes(ORPHAN)) this.ctx.queue.add(`orphan/${uid}`);
      if (finalizers.includes(FOREGROUND)) this.ctx.queue.add(`foreground/${uid}`);
    }
  }

  private relink(uid: string, node: GraphNode, owners: readonly Obj[]): void {
    const before = new Set(node.owners.map((r) => r.uid as string));
    const after = new Set(owners.map((r) => r.uid as string));
    node.owners = owners;
    for (const o of before) if (!after.has(o)) this.dependentsOf(o)?.delete(uid);
    let check = false;
    for (const o of after) {
      const owner = this.nodes.get(o);
      if (owner) owner.dependents.add(uid);
      else {
        let set = this.pendingDependents.get(o);
        if (!set) this.pendingDependents.set(o, (set = new Set()));
        set.add(uid);
        check = true;
      }
      if (!before.has(o) && owner && this.beingDeletedInForeground(owner)) check = true;
    }
    // A new reference to an owner that does not exist (or is going): look at this object.
    if (check) this.ctx.queue.add(`check/${uid}`);
  }

  private dependentsOf(uid: string): Set<string> | undefined {
    return this.nodes.get(uid)?.dependents ?? this.pendingDependents.get(uid);
  }

  private removed(kv: KeyValue<Obj>): void {
    const uid: string | undefined = kv.value?.metadata?.uid;
    const node = uid ? this.nodes.get(uid) : undefined;
    if (!uid || !node || node.key !== kv.key) return;
    this.nodes.delete(uid);
    for (const r of node.owners) {
      this.dependentsOf(r.uid)?.delete(uid);
      // An owner waiting in foreground deletion may now be free to go.
      const owner = this.nodes.get(r.uid);
      if (owner && this.beingDeletedInForeground(owner)) this.ctx.queue.add(`foreground/${r.uid}`);
    }
    for (const d of node.dependents) this.ctx.queue.add(`check/${d}`);
    if (node.dependents.size) this.pendingDependents.set(uid, node.dependents);
  }

  private objectOf(node: GraphNode | undefined): Obj | undefined {
    return node && this.ctx.store.get<Obj>(node.key)?.value;
  }

  private beingDeletedInForeground(node: GraphNode): boolean {
    const o = this.objectOf(node);
    return Boolean(o?.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).includes(FOREGROUND));
  }

  reconcile(item: string): ReconcileResult {
    const slash = item.indexOf('/');
    const kind = item.slice(0, slash);
    const uid = item.slice(slash + 1);
    if (kind === 'check') return this.attemptToDelete(uid);
    if (kind === 'orphan') return this.orphanDependents(uid);
    return this.processForeground(uid);
  }

  /** attemptToDeleteItem: deletes an object none of whose owners remain. */
  private attemptToDelete(uid: string): ReconcileResult {
    const node = this.nodes.get(uid);
    const obj = this.objectOf(node);
    if (!node || !obj) return;
    const finalizers: string[] = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && !finalizers.includes(FOREGROUND)) return;
    const refs: Obj[] = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: Obj[] = [];
    const dangling: Obj[] = [];
    const waiting: Obj[] = [];
    for (const r of refs) {
      const owner = this.nodes.get(r.uid);
      const ownerObj = this.objectOf(owner);
      if (!owner || !ownerObj || ownerObj.kind !== r.kind || ownerObj.metadata.name !== r.name) dangling.push(r);
      else if (this.beingDeletedInForeground(owner)) waiting.push(r);
      else solid.push(r);
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // Still owned: drop the references to owners that are gone, and stop blocking waiting ones.
      const gone = new Set(dangling.map((r) => r.uid));
      const waits = new Set(waiting.map((r) => r.uid));
      const next = refs.filter((r) => !gone.has(r.uid)).map((r) => (waits.has(r.uid) && r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r));
      this.patch(obj, { metadata: { ownerReferences: next, uid: obj.metadata.uid } }, 'application/merge-patch+json');
      return;
    }
    if (obj.metadata.deletionTimestamp) return;
    let policy: string;
    if (waiting.length > 0 && node.dependents.size > 0) policy = 'Foreground';
    else if (finalizers.includes(ORPHAN)) policy = 'Orphan';
    else if (finalizers.includes(FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    const res = this.request(obj, { method: 'DELETE', body: { propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } } });
    if (res && res.status >= 500) throw new RetryableError(errorMessage(res));
  }

  /** orphanDependents: removes the owner's reference from each dependent, then the finalizer. */
  private orphanDependents(uid: string): ReconcileResult {
    const node = this.nodes.get(uid);
    const owner = this.objectOf(node);
    if (!node || !owner?.metadata.deletionTimestamp || !(owner.metadata.finalizers ?? []).includes(ORPHAN)) return;
    for (const d of [...node.dependents]) {
      const dep = this.objectOf(this.nodes.get(d));
      if (!dep) continue;
      const next = ((dep.metadata.ownerReferences ?? []) as Obj[]).filter((r) => r.uid !== uid);
      this.patch(dep, { metadata: { ownerReferences: next.length ? next : null, uid: dep.metadata.uid } }, 'application/merge-patch+json');
    }
    this.removeFinalizer(owner, ORPHAN);
  }

  /** processDeletingDependentsItem: deletes the dependents, then lets the owner go. */
  private processForeground(uid: string): ReconcileResult {
    const node = this.nodes.get(uid);
    const owner = this.objectOf(node);
    if (!node || !owner?.metadata.deletionTimestamp || !(owner.metadata.finalizers ?? []).includes(FOREGROUND)) return;
    let blocking = 0;
    for (const d of node.dependents) {
      const dep = this.objectOf(this.nodes.get(d));
      if (!dep) continue;
      const ref = ((dep.metadata.ownerReferences ?? []) as Obj[]).find((r) => r.uid === uid);
      if (ref?.blockOwnerDeletion) blocking++;
      if (!dep.metadata.deletionTimestamp || (dep.metadata.finalizers ?? []).includes(FOREGROUND)) this.ctx.queue.add(`check/${d}`);
    }
    if (blocking === 0) this.removeFinalizer(owner, FOREGROUND);
  }

  private removeFinalizer(obj: Obj, finalizer: string): void {
    const finalizers = ((obj.metadata.finalizers ?? []) as string[]).filter((f) => f !== finalizer);
    const rv = String(this.ctx.store.get(this.nodes.get(obj.metadata.uid)!.key)!.modRevision);
    const res = this.patch(obj, { metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: rv } }, 'application/merge-patch+json');
    if (res && res.status === 409) throw new RetryableError(errorMessage(res));
  }

  private patch(obj: Obj, body: Obj, contentType: PatchType) {
    return this.request(obj, { method: 'PATCH', body, contentType });
  }

  private request(obj: Obj, req: { method: 'PATCH' | 'DELETE'; body: Obj; contentType?: PatchType }) {
    const path = this.pathOf(obj);
    if (!path) return undefined;
    return this.ctx.request({ method: req.method, path, body: req.body, ...(req.contentType ? { contentType: req.contentType } : {}) });
  }

  /** The API path of a stored object, from its etcd key's resource prefix. */
  private pathOf(obj: Obj): string | undefined {
    const node = this.nodes.get(obj.metadata.uid);
    if (!node) return undefined;
    const type = this.typeOf(node.key);
    if (!type) return undefined;
    const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
    return type.namespaced ? `${base}/namespaces/${obj.metadata.namespace}/${type.name}/${obj.metadata.name}` : `${base}/${type.name}/${obj.metadata.name}`;
  }

  private typeOf(key: string): ResourceType | undefined {
    // "/registry/<resource>/…" or "/registry/<group-ish>/<resource>/…": the longest known prefix.
    const parts = key.split('/');
    for (const n of [3, 4]) {
      const prefix = parts.slice(0, n).join('/');
      let type = this.types.get(prefix);
      if (!type) {
        // Unknown prefixes are looked up again next time: a CRD may have added them.
        type = this.ctx.api.registry.all().find((t) => t.etcdPrefix === prefix);
        if (type) this.types.set(prefix, type);
      }
      if (type) return type;
    }
    return undefined;
  }
}
