import { ipToInt, parseCIDR } from '../ip';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIPv4(s: string): boolean {
  const m = IPV4.exec(s);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

/** Whether `ip` lies in `cidr` ("10.244.0.0/16"; a bare address is a /32). */
export function inCIDR(ip: string, cidr: string): boolean {
  if (!isIPv4(ip) || !isIPv4(cidr.split('/')[0]!)) return false;
  const { base, prefix } = parseCIDR(cidr);
  if (prefix === 0) return true;
  const size = 2 ** (32 - prefix);
  return Math.floor(ipToInt(ip) / size) === Math.floor(base / size);
}
