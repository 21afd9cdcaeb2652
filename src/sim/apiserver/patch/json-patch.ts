/** RFC 6902 JSON Patch, with the error texts of evanphx/json-patch that the API server returns. */

type Json = unknown;
export class PatchError extends Error {}

interface Operation {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid path: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function container(doc: Json, parts: string[], path: string): { parent: any; key: string } {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  let cur: any = doc; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (cur && typeof cur === 'object') cur = cur[p];
    else cur = undefined;
    if (cur === undefined || cur === null) throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, key: parts[parts.length - 1]! };
}

function get(doc: Json, path: string): Json {
  let cur: any = doc; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const p of parsePointer(path)) {
    if (cur === undefined || cur === null) return undefined;
    cur = Array.isArray(cur) ? cur[Number(p)] : cur[p];
  }
  return cur;
}

function add(doc: Json, path: string, value: Json): Json {
  const parts = parsePointer(path);
  if (parts.length === 0) return clone(value);
  const { parent, key } = container(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new PatchError(`Unable to access invalid index: ${key}: invalid index referenced`);
    parent.splice(i, 0, clone(value));
  } else if (parent && typeof parent === 'object') {
    parent[key] = clone(value);
  } else {
    throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return doc;
}

function remove(doc: Json, path: string): Json {
  const parts = parsePointer(path);
  const { parent, key } = container(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    parent.splice(i, 1);
  } else if (parent && typeof parent === 'object' && key in parent) {
    delete parent[key];
  } else {
    throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
  }
  return doc;
}

export function applyJsonPatch(doc: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = clone(doc);
  for (const raw of patch as Operation[]) {
    switch (raw.op) {
      case 'add':
        out = add(out, raw.path, raw.value);
        break;
      case 'remove':
        out = remove(out, raw.path);
        break;
      case 'replace': {
        const parts = parsePointer(raw.path);
        if (parts.length === 0) {
          out = clone(raw.value);
          break;
        }
        const { parent, key } = container(out, parts, raw.path);
        if (parent === undefined || !(Array.isArray(parent) ? Number(key) < parent.length : key in parent))
          throw new PatchError(`replace operation does not apply: doc is missing key: ${raw.path}: missing value`);
        parent[Array.isArray(parent) ? Number(key) : key] = clone(raw.value);
        break;
      }
      case 'move': {
        const value = get(out, raw.from ?? '');
        if (value === undefined) throw new PatchError(`move operation does not apply: doc is missing from path: ${raw.from}: missing value`);
        out = remove(out, raw.from!);
        out = add(out, raw.path, value);
        break;
      }
      case 'copy': {
        const value = get(out, raw.from ?? '');
        if (value === undefined) throw new PatchError(`copy operation does not apply: doc is missing from path: ${raw.from}: missing value`);
        out = add(out, raw.path, value);
        break;
      }
      case 'test':
        if (JSON.stringify(get(out, raw.path)) !== JSON.stringify(raw.value)) throw new PatchError(`testing value ${raw.path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${raw.op}`);
    }
  }
  return out;
}
