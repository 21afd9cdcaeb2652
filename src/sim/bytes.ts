/** UTF-8 bytes of a string, without TextEncoder (the simulation has no DOM or Node types). */
export function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (const part of encodeURIComponent(text).split(/(%[0-9A-F]{2})/)) {
    if (part.startsWith('%') && part.length === 3) out.push(parseInt(part.slice(1), 16));
    else for (const ch of part) out.push(ch.charCodeAt(0));
  }
  return out;
}
