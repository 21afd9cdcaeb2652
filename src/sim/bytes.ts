/** UTF-8 bytes of a string, without TextEncoder (the simulation has no DOM or Node types). */
export function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (const part of encodeURIComponent(text).split(/(%[0-9A-F]{2})/)) {
    if (part.startsWith('%') && part.length === 3) out.push(parseInt(part.slice(1), 16));
    else for (const ch of part) out.push(ch.charCodeAt(0));
  }
  return out;
}

/** Bytes `text` takes in UTF-8 (Content-Length, tar sizes), counted without encoding it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The position in `text` after the characters from `pos` that make up `bytes` UTF-8 bytes. */
export function utf8Advance(text: string, pos: number, bytes: number): number {
  let n = 0;
  let i = pos;
  while (n < bytes && i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
    i++;
  }
  return i;
}

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64 of a string's UTF-8 bytes: standard with padding, or URL-safe without (JWT style). */
export function base64Encode(text: string, urlSafe = false): string {
  const table = urlSafe ? URL_SAFE : STD;
  const bytes = utf8Bytes(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += table[(n >> 18) & 63]! + table[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? table[(n >> 6) & 63]! : urlSafe ? '' : '=';
    out += i + 2 < bytes.length ? table[n & 63]! : urlSafe ? '' : '=';
  }
  return out;
}

/** Decodes standard or URL-safe base64 to text (UTF-8 when valid, else one char per byte). */
export function base64Decode(encoded: string): string {
  const clean = encoded.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const ch of clean) {
    value = ((value << 6) | STD.indexOf(ch)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  try {
    return decodeURIComponent(bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
  } catch {
    return String.fromCharCode(...bytes);
  }
}
