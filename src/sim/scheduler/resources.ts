/**
 * Resource accounting the scheduler uses: a pod's requests (containers summed, each init
 * container a floor, plus overhead) and the non-zero defaults used for scoring pods that
 * request nothing (100m CPU, 200Mi memory per container).
 */
import { parseQuantity } from '../apiserver/quantity';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Resources {
  /** millicores */
  cpu: number;
  /** bytes */
  memory: number;
  ephemeralStorage: number;
  /** other extended resources by name */
  scalar: Map<string, number>;
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResources(): Resources {
  return { cpu: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() };
}

function addList(r: Resources, list: Record<string, string> | undefined, max = false): void {
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = parseQuantity(String(v)) ?? 0;
    const apply = (cur: number, val: number) => (max ? Math.max(cur, val) : cur + val);
    if (k === 'cpu') r.cpu = apply(r.cpu, Math.round(q * 1000));
    else if (k === 'memory') r.memory = apply(r.memory, q);
    else if (k === 'ephemeral-storage') r.ephemeralStorage = apply(r.ephemeralStorage, q);
    else if (k !== 'pods') r.scalar.set(k, apply(r.scalar.get(k) ?? 0, q));
  }
}

/**
 * Per-spec results: a stored pod's spec is frozen (and shared by its later versions), so what
 * is computed from it once holds for good. Callers must not change what they get.
 */
function memo<T>(cache: WeakMap<object, T>, compute: (pod: Obj) => T): (pod: Obj) => T {
  return (pod) => {
    const spec = pod.spec as object | undefined;
    if (!spec || typeof spec !== 'object' || !Object.isFrozen(spec)) return compute(pod);
    let v = cache.get(spec);
    if (v === undefined) cache.set(spec, (v = compute(pod)));
    return v;
  };
}

/** The pod's effective requests (computePodResourceRequest). */
export const podRequests = memo(new WeakMap<object, Resources>(), computePodRequests);

function computePodRequests(pod: Obj): Resources {
  const sum = emptyResources();
  for (const c of (pod.spec?.containers ?? []) as Obj[]) addList(sum, c.resources?.requests);
  // Restartable init containers (sidecars) run alongside the app and add up; others are a floor.
  let sidecars = emptyResources();
  const floor = emptyResources();
  for (const c of (pod.spec?.initContainers ?? []) as Obj[]) {
    if (c.restartPolicy === 'Always') {
      addList(sum, c.resources?.requests);
      addList(sidecars, c.resources?.requests);
    } else {
      const one = emptyResources();
      addList(one, c.resources?.requests);
      one.cpu += sidecars.cpu;
      one.memory += sidecars.memory;
      floor.cpu = Math.max(floor.cpu, one.cpu);
      floor.memory = Math.max(floor.memory, one.memory);
      floor.ephemeralStorage = Math.max(floor.ephemeralStorage, one.ephemeralStorage);
    }
  }
  sidecars = emptyResources();
  sum.cpu = Math.max(sum.cpu, floor.cpu);
  sum.memory = Math.max(sum.memory, floor.memory);
  sum.ephemeralStorage = Math.max(sum.ephemeralStorage, floor.ephemeralStorage);
  addList(sum, pod.spec?.overhead);
  return sum;
}

/** Requests with the scheduler's non-zero defaults, for scoring. */
export const podNonZeroRequests = memo(new WeakMap<object, { cpu: number; memory: number }>(), computeNonZeroRequests);

function computeNonZeroRequests(pod: Obj): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of (pod.spec?.containers ?? []) as Obj[]) {
    const req = c.resources?.requests ?? {};
    cpu += req.cpu !== undefined ? Math.round((parseQuantity(String(req.cpu)) ?? 0) * 1000) : DEFAULT_MILLI_CPU_REQUEST;
    memory += req.memory !== undefined ? (parseQuantity(String(req.memory)) ?? 0) : DEFAULT_MEMORY_REQUEST;
  }
  return { cpu, memory };
}

export function nodeAllocatable(node: Obj): Resources & { pods: number } {
  const r = emptyResources() as Resources & { pods: number };
  addList(r, node.status?.allocatable);
  r.pods = Number(node.status?.allocatable?.pods ?? 110);
  return r;
}
