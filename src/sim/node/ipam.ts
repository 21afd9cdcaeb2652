/** Pod IPs from a node's podCIDR (host-local IPAM: round-robin over .2–.254). */
export class NodeIPAM {
  private next = 2;
  private readonly used = new Set<number>();

  constructor(private readonly cidr: string) {}

  allocate(): string | undefined {
    const base = this.cidr.split('/')[0]!.split('.').slice(0, 3).join('.');
    for (let i = 0; i < 253; i++) {
      const host = ((this.next - 2 + i) % 253) + 2;
      if (!this.used.has(host)) {
        this.used.add(host);
        this.next = host + 1;
        return `${base}.${host}`;
      }
    }
    return undefined;
  }

  release(ip: string): void {
    this.used.delete(Number(ip.split('.')[3]));
  }
}
