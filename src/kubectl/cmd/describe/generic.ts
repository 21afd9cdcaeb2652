/**
 * kubectl's fallback describer for kinds without their own: the object's fields, sorted, with
 * field names made readable ("leaseDurationSeconds" → "Lease Duration Seconds"), then events.
 */
import type { ApiResource } from '../../discovery';
import { resourcePath } from '../../discovery';
import { annotationsBlock, eventsBlock, getObject, labelsBlock, PrefixWriter, searchEvents, type Describer, type Obj } from './writer';

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/** camelcase.Split: runs of one character class, an upper run's last letter joining a following lower run. */
function camelSplit(s: string): string[] {
  const cls = (c: string) => (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const k = cls(c);
    if (k === last && runs.length) runs[runs.length - 1]!.push(c);
    else runs.push([c]);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    const a = runs[i]!;
    const b = runs[i + 1]!;
    if (cls(a[0]!) === 2 && cls(b[0]!) === 1) {
      b.unshift(a.pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

export function smartLabel(field: string): string {
  if ([...field].some((c) => !/\p{L}/u.test(c) && c !== '-')) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.keys(v as Obj).sort().map((k) => `${k}:${goValue((v as Obj)[k])}`).join(' ')}]`;
  return String(v);
}

function content(w: PrefixWriter, level: number, obj: Obj, prefix: string, skip: Set<string>): void {
  for (const field of Object.keys(obj).sort()) {
    const value = obj[field];
    const path = `${prefix}.${field}`;
    if (skip.has(path)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      content(w, level + 1, value as Obj, path, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child)) content(w, level + 1, child as Obj, path, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
  }
}

const SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

export function genericDescriber(resource: ApiResource): Describer {
  return async (env, namespace, name) => {
    const obj = await getObject(env, resourcePath(resource, namespace, name));
    const events = await searchEvents(env, { kind: obj.kind, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', uid: obj.metadata?.uid });
    const w = new PrefixWriter();
    w.write(0, `Name:\t${obj.metadata?.name ?? ''}\n`);
    w.write(0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
    labelsBlock(w, 'Labels', obj.metadata?.labels);
    annotationsBlock(w, 'Annotations', obj.metadata?.annotations);
    content(w, 0, obj, '', SKIP);
    eventsBlock(w, events, env.now);
    return w.toString();
  };
}
