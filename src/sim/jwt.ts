/**
 * Service account tokens: JWTs with an RS256 header naming the cluster's signing key. There is
 * no real key here; the signature is a stable stand-in of the right length derived from the
 * signed text, so a token looks and decodes like a real one and is the same for the same claims.
 */
import { base64Encode, utf8Bytes } from './bytes';
import { fnv32a } from './names';

const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `n` URL-safe base64 characters derived from `seed`. */
export function pseudoSignature(seed: string, n: number): string {
  let out = '';
  let h = fnv32a(utf8Bytes(seed));
  while (out.length < n) {
    h = fnv32a([h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff, (h >>> 24) & 0xff, out.length & 0xff], h);
    out += URL_ALPHABET[h % 64];
  }
  return out;
}

/** The key id of the service account signing key (kube-apiserver's sa.key), as tokens carry it. */
export const SERVICE_ACCOUNT_KEY_ID = pseudoSignature('kubeadm sa.key', 43);

/** A signed JWT for `claims` (a 2048-bit RS256 signature is 342 base64url characters). */
export function signJwt(claims: object): string {
  const body = `${base64Encode(JSON.stringify({ alg: 'RS256', kid: SERVICE_ACCOUNT_KEY_ID }), true)}.${base64Encode(JSON.stringify(claims), true)}`;
  return `${body}.${pseudoSignature(body, 342)}`;
}
