/** IPv4 addresses as integers, for allocators and CIDR arithmetic. */

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses "10.244.0.0/16" into its base address and prefix length. */
export function parseCIDR(cidr: string): { base: number; prefix: number } {
  const [ip, prefix] = cidr.split('/');
  return { base: ipToInt(ip!), prefix: Number(prefix ?? 32) };
}

/** The index-th subnet of size /`size` inside `cidr`, or undefined when it does not fit. */
export function subnet(cidr: string, size: number, index: number): string | undefined {
  const { base, prefix } = parseCIDR(cidr);
  if (size < prefix || index >= 2 ** (size - prefix)) return undefined;
  return `${intToIp(base + index * 2 ** (32 - size))}/${size}`;
}
