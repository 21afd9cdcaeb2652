/**
 * The image registry the simulated nodes pull from: known repositories with their tags, sizes
 * and digests, and the errors containerd reports for a missing tag or repository. An image that
 * is not in the catalog behaves like one that does not exist (a misspelt name, a private image).
 */

export interface ImageInfo {
  /** Fully qualified reference: docker.io/library/nginx:1.27 */
  ref: string;
  repository: string;
  tag: string;
  digest: string;
  sizeBytes: number;
}

export type Resolution = { ok: true; image: ImageInfo } | { ok: false; error: string };

interface Repo {
  repository: string;
  tags: string[];
  /** Typical compressed size in bytes. */
  size: number;
  /** Accept any tag (for images used with many versions). */
  anyTag?: boolean;
}

const REPOS: Repo[] = [
  { repository: 'docker.io/library/nginx', tags: ['latest', 'alpine', 'stable', 'mainline', '1.14', '1.14.2', '1.16', '1.17', '1.18', '1.19', '1.20', '1.21', '1.22', '1.23', '1.24', '1.25', '1.26', '1.27', '1.27.2', '1.27.3', '1.28'], size: 72_188_133 },
  { repository: 'docker.io/library/httpd', tags: ['latest', 'alpine', '2.4', '2.4-alpine'], size: 58_148_214 },
  { repository: 'docker.io/library/busybox', tags: ['latest', '1.28', '1.35', '1.36', '1.37', 'stable', 'musl', 'glibc'], size: 2_156_128 },
  { repository: 'docker.io/library/alpine', tags: ['latest', '3', '3.18', '3.19', '3.20', '3.21', 'edge'], size: 3_647_968 },
  { repository: 'docker.io/library/ubuntu', tags: ['latest', '20.04', '22.04', '24.04', 'jammy', 'noble', 'focal'], size: 29_754_422 },
  { repository: 'docker.io/library/debian', tags: ['latest', 'bookworm', 'bookworm-slim', 'bullseye', '11', '12'], size: 48_496_226 },
  { repository: 'docker.io/library/redis', tags: ['latest', 'alpine', '6', '7', '7.2', '7.4', '6.2'], size: 45_412_345 },
  { repository: 'docker.io/library/mysql', tags: ['latest', '5.7', '8', '8.0', '8.4', '9'], size: 167_442_212 },
  { repository: 'docker.io/library/mariadb', tags: ['latest', '10', '10.11', '11', '11.4'], size: 118_231_412 },
  { repository: 'docker.io/library/postgres', tags: ['latest', 'alpine', '13', '14', '15', '16', '17'], size: 158_203_451 },
  { repository: 'docker.io/library/mongo', tags: ['latest', '5', '6', '7', '8'], size: 254_031_114 },
  { repository: 'docker.io/library/node', tags: ['latest', 'alpine', 'lts', '18', '20', '22'], size: 394_123_112 },
  { repository: 'docker.io/library/python', tags: ['latest', 'alpine', 'slim', '3', '3.11', '3.12', '3.13'], size: 412_334_120 },
  { repository: 'docker.io/library/perl', tags: ['latest', '5', '5.34', '5.34.0', '5.36', '5.38', '5.40', 'slim'], size: 333_451_212 },
  { repository: 'docker.io/polinux/stress', tags: ['latest'], size: 4_254_118 },
  { repository: 'docker.io/curlimages/curl', tags: ['latest', '8.11.1', '8.10.1', '8.5.0'], size: 10_921_434 },
  { repository: 'docker.io/nicolaka/netshoot', tags: ['latest', 'v0.13'], size: 194_012_321 },
  { repository: 'registry.k8s.io/e2e-test-images/jessie-dnsutils', tags: ['1.3', '1.5', '1.7'], size: 112_101_433 },
  { repository: 'registry.k8s.io/e2e-test-images/agnhost', tags: ['2.39', '2.43', '2.52', '2.53'], size: 51_011_281 },
  { repository: 'ghcr.io/subicura/echo', tags: ['latest', 'v1', 'v2'], size: 3_890_212 },
  { repository: 'docker.io/kubetm/hello', tags: ['latest', 'v1', 'v2'], size: 16_231_023 },
  { repository: 'docker.io/kubetm/app', tags: ['latest', 'v1', 'v2', 'v3'], size: 19_127_883 },
  { repository: 'docker.io/kubetm/init', tags: ['latest'], size: 16_231_023 },
  { repository: 'registry.k8s.io/pause', tags: ['3.10', '3.9'], size: 320_368 },
  { repository: 'registry.k8s.io/coredns/coredns', tags: ['v1.11.3', 'v1.11.1'], size: 18_562_039 },
  { repository: 'registry.k8s.io/kube-proxy', tags: [], size: 30_229_962, anyTag: true },
  { repository: 'registry.k8s.io/kube-apiserver', tags: [], size: 28_032_442, anyTag: true },
  { repository: 'registry.k8s.io/kube-controller-manager', tags: [], size: 26_260_812, anyTag: true },
  { repository: 'registry.k8s.io/kube-scheduler', tags: [], size: 20_657_426, anyTag: true },
  { repository: 'registry.k8s.io/etcd', tags: ['3.5.16-0', '3.5.15-0'], size: 57_680_541 },
  { repository: 'registry.k8s.io/metrics-server/metrics-server', tags: ['v0.7.2'], size: 19_494_617 },
  { repository: 'registry.k8s.io/ingress-nginx/controller', tags: ['v1.12.0', 'v1.11.5'], size: 105_224_129 },
  { repository: 'registry.k8s.io/ingress-nginx/kube-webhook-certgen', tags: ['v1.5.0', 'v1.4.4'], size: 29_104_512 },
];

/** Normalises an image reference as containerd does: docker.io/library/nginx:latest. */
export function normalizeReference(image: string): { repository: string; tag: string; digest?: string; ref: string } | undefined {
  const trimmed = image.trim();
  if (!trimmed || /[A-Z\s]/.test(trimmed.split('@')[0]!.split(':')[0]!)) return undefined;
  const [namePart, digest] = trimmed.split('@') as [string, string | undefined];
  const lastSlash = namePart.lastIndexOf('/');
  const colon = namePart.indexOf(':', lastSlash + 1);
  const name = colon >= 0 ? namePart.slice(0, colon) : namePart;
  const tag = colon >= 0 ? namePart.slice(colon + 1) : digest ? '' : 'latest';
  const first = name.split('/')[0]!;
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const repository = hasRegistry ? name : name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  const ref = digest ? `${repository}@${digest}` : `${repository}:${tag}`;
  return { repository, tag, ...(digest ? { digest } : {}), ref };
}

/** A stable fake digest for an image reference. */
function digestOf(ref: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (const ch of `${ref}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `sha256:${out}`;
}

export class ImageCatalog {
  private readonly repos = new Map(REPOS.map((r) => [r.repository, r]));

  /** Adds images a lab needs (e.g. its own app image). */
  add(repository: string, tags: string[], size: number): void {
    this.repos.set(repository, { repository, tags, size });
  }

  /** Makes a tag unpullable (the lab fault "image missing"). */
  remove(image: string): void {
    const n = normalizeReference(image);
    const repo = n && this.repos.get(n.repository);
    if (repo) this.repos.set(repo.repository, { ...repo, tags: repo.tags.filter((t) => t !== n!.tag), anyTag: false });
  }

  resolve(image: string): Resolution {
    const n = normalizeReference(image);
    if (!n) return { ok: false, error: `failed to pull and unpack image "${image}": invalid reference format` };
    const repo = this.repos.get(n.repository);
    const registry = n.repository.split('/')[0]!;
    if (!repo) {
      if (registry === 'docker.io')
        return {
          ok: false,
          error: `rpc error: code = Unknown desc = failed to pull and unpack image "${n.ref}": failed to resolve reference "${n.ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
        };
      return {
        ok: false,
        error: `rpc error: code = NotFound desc = failed to pull and unpack image "${n.ref}": failed to resolve reference "${n.ref}": ${n.ref}: not found`,
      };
    }
    if (!n.digest && !repo.anyTag && !repo.tags.includes(n.tag))
      return {
        ok: false,
        error: `rpc error: code = NotFound desc = failed to pull and unpack image "${n.ref}": failed to resolve reference "${n.ref}": ${n.ref}: not found`,
      };
    return { ok: true, image: { ref: n.ref, repository: n.repository, tag: n.tag, digest: n.digest ?? digestOf(n.ref), sizeBytes: repo.size } };
  }

  /** Virtual pull time: latency plus size over a ~50 MB/s link. */
  pullMillis(image: ImageInfo): number {
    return 800 + Math.round(image.sizeBytes / 50_000);
  }
}
