/**
 * Names Kubernetes derives rather than draws: the pod-template-hash of a ReplicaSet
 * (controller.ComputeHash: FNV-32a of the template, plus the collision count, written with
 * rand.SafeEncodeString) and the suffixes generateName adds (see SeededRandom.nameSuffix).
 */
import { utf8Bytes } from './bytes';
import { KUBE_NAME_ALPHABET } from './random';

/** FNV-1a, 32-bit, over bytes. */
export function fnv32a(bytes: readonly number[], seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}


/** rand.SafeEncodeString: each character mapped into the alphabet, so no vowels make words. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += KUBE_NAME_ALPHABET[ch.codePointAt(0)! % KUBE_NAME_ALPHABET.length];
  return out;
}

/** Canonical JSON (sorted keys), the stable input the hash is taken over. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The pod-template-hash label value for a pod template and the controller's collision count. */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let bytes = utf8Bytes(canonical(template));
  if (collisionCount !== undefined) {
    const c = collisionCount >>> 0;
    // binary.LittleEndian.PutUint32 into an 8-byte buffer.
    bytes = [...bytes, c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, (c >>> 24) & 0xff, 0, 0, 0, 0];
  }
  return safeEncodeString(String(fnv32a(bytes)));
}
