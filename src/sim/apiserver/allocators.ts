/**
 * Service ClusterIP and NodePort allocation as kube-apiserver's bitmap allocators do it:
 * random free values from the upper part of the range, a lower "static band" left for
 * explicitly requested values, and the real errors for out-of-range and taken values.
 */
import { intToIp, ipToInt } from '../ip';
import type { SeededRandom } from '../random';

export const SERVICE_CIDR = { base: ipToInt('10.96.0.0'), prefix: 12 };
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };


function staticBand(size: number, lower: number, upper: number): number {
  return Math.min(Math.max(lower, Math.floor(size / 16)), upper);
}

export class ClusterIPAllocator {
  private readonly size = 2 ** (32 - SERVICE_CIDR.prefix) - 2; // network and broadcast excluded

  constructor(private readonly random: SeededRandom) {}

  contains(ip: string): boolean {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return false;
    const offset = ipToInt(ip) - SERVICE_CIDR.base;
    return offset >= 1 && offset <= this.size;
  }

  /** A free address, picked at random above the static band. */
  allocate(used: ReadonlySet<string>): string | undefined {
    const band = staticBand(this.size, 16, 256);
    const span = this.size - band;
    const start = this.random.int(span);
    for (let i = 0; i < span; i++) {
      const ip = intToIp(SERVICE_CIDR.base + 1 + band + ((start + i) % span));
      if (!used.has(ip)) return ip;
    }
    return undefined;
  }
}

export class NodePortAllocator {
  constructor(private readonly random: SeededRandom) {}

  inRange(port: number): boolean {
    return port >= NODE_PORT_RANGE.min && port <= NODE_PORT_RANGE.max;
  }

  allocate(used: ReadonlySet<number>): number | undefined {
    const size = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
    const band = staticBand(size, 16, 128);
    const span = size - band;
    const start = this.random.int(span);
    for (let i = 0; i < span; i++) {
      const port = NODE_PORT_RANGE.min + band + ((start + i) % span);
      if (!used.has(port)) return port;
    }
    return undefined;
  }
}
