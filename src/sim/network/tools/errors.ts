/** strerror() texts as each C library words them: busybox images are built on musl or glibc. */
export type Libc = 'glibc' | 'musl';

const TEXT: Record<Libc, Record<'refused' | 'timeout' | 'unreachable', string>> = {
  glibc: { refused: 'Connection refused', timeout: 'Connection timed out', unreachable: 'No route to host' },
  musl: { refused: 'Connection refused', timeout: 'Operation timed out', unreachable: 'Host is unreachable' },
};

export function strerror(libc: Libc, error: 'refused' | 'timeout' | 'unreachable'): string {
  return TEXT[libc][error];
}
