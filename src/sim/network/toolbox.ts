/**
 * Which network tools a process finds on its PATH, by the system it runs on: busybox applets in
 * busybox and alpine images, curl in curl images (and Debian's nginx image), the full kit in
 * netshoot and dnsutils images, and Ubuntu's packages on the nodes. Each lookup binds the tool
 * to where it runs (its source address and resolver).
 */
import type { ClusterDns } from './dns';
import type { ClusterNetwork } from './fabric';
import { parseHosts, parseResolvConf, Resolver } from './resolver';
import { busyboxNc, openbsdNc } from './tools/nc';
import { busyboxNslookup, bindNslookup } from './tools/nslookup';
import { busyboxPing, iputilsPing } from './tools/ping';
import { busyboxWget } from './tools/wget';
import { ALPINE_CURL, curlBuild, DEBIAN_CURL, UBUNTU_CURL } from './tools/curl';
import { dig } from './tools/dig';
import { iptables } from './tools/iptables';
import type { Tool, ToolContext, ToolFactory } from './tools/types';
import type { Obj, Source } from './types';

type Kit = Record<string, ToolFactory>;

const busybox = (libc: 'glibc' | 'musl', nslookup: 'old' | 'new'): Kit => ({ wget: busyboxWget(libc), nslookup: busyboxNslookup(nslookup), nc: busyboxNc, ping: busyboxPing });
const BUSYBOX = busybox('glibc', 'new');
const ALPINE = busybox('musl', 'new');
const curl = curlBuild(ALPINE_CURL);
const CURL_ONLY: Kit = { curl };
const FULL: Kit = { curl, wget: busyboxWget('musl'), nslookup: bindNslookup, dig, nc: openbsdNc, ping: iputilsPing };
/** An Ubuntu node: curl, dnsutils, iputils-ping, netcat-openbsd and iptables installed. */
export const HOST_KIT: Kit = { curl: curlBuild(UBUNTU_CURL), nslookup: bindNslookup, dig, nc: openbsdNc, ping: iputilsPing, iptables };

const KITS: Record<string, Kit> = {
  'docker.io/library/busybox': BUSYBOX,
  'docker.io/library/alpine': ALPINE,
  'docker.io/curlimages/curl': { ...ALPINE, ...CURL_ONLY },
  'docker.io/library/nginx': { curl: curlBuild(DEBIAN_CURL) },
  'docker.io/nicolaka/netshoot': FULL,
  'registry.k8s.io/e2e-test-images/jessie-dnsutils': { nslookup: bindNslookup, dig, ping: iputilsPing },
  'registry.k8s.io/e2e-test-images/agnhost': { ...BUSYBOX, curl },
};

/** busybox 1.28 and older: the libc nslookup the Kubernetes DNS documentation relies on. */
const OLD_BUSYBOX = busybox('glibc', 'old');

function kitFor(repository: string | undefined, tag: string | undefined): Kit {
  if (repository === 'docker.io/library/busybox' && tag && /^1\.(1\d|2[0-8])(\.|$)/.test(tag)) return OLD_BUSYBOX;
  return KITS[repository ?? ''] ?? {};
}

export interface FileReader {
  read(path: string): string | undefined;
}

export type ToolLookup = (name: string) => Tool | undefined;

/** Binds tools to the network for pods and nodes. */
export class NetworkTools {
  constructor(
    readonly network: ClusterNetwork,
    readonly dns: ClusterDns,
    private readonly now: () => number,
  ) {}

  private lookup(kit: Kit, source: Source, files: FileReader, fallbackResolv: string, hostname: string): ToolLookup {
    let ctx: ToolContext | undefined;
    const context = (): ToolContext => {
      if (ctx) return ctx;
      const conf = parseResolvConf(files.read('/etc/resolv.conf') ?? fallbackResolv);
      const hosts = parseHosts(files.read('/etc/hosts') ?? '');
      ctx = { network: this.network, resolver: new Resolver(this.network, this.dns, source, conf, hosts), source, now: this.now, hostname };
      return ctx;
    };
    return (name) => {
      const factory = kit[name.replace(/^.*\//, '')];
      return factory ? factory(context()) : undefined;
    };
  }

  /** Tools inside a container of `pod` running `image`, reading its /etc files. */
  forContainer(pod: Obj, image: { repository: string; tag: string } | undefined, files: FileReader): ToolLookup {
    const kit = kitFor(image?.repository, image?.tag);
    return this.lookup(kit, this.network.podSource(pod), files, '', pod.spec?.hostname ?? pod.metadata.name);
  }

  /** Tools on a node's host (the terminal's controlplane, `ssh node01`). */
  forNode(node: string, files: FileReader): ToolLookup | undefined {
    const source = this.network.nodeSource(node);
    if (!source) return undefined;
    return this.lookup(HOST_KIT, source, files, 'nameserver 172.30.0.1\n', node);
  }
}
