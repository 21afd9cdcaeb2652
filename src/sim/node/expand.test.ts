import { describe, expect, it } from 'vitest';
import { argvFor, expandVars } from './behavior';

describe('$(VAR) expansion in command and args', () => {
  it('replaces defined variables, keeps undefined references, and unescapes $$', () => {
    const env = { POD_NAMESPACE: 'ingress-nginx', A: 'x' };
    expect(expandVars('--namespace=$(POD_NAMESPACE)', env)).toBe('--namespace=ingress-nginx');
    expect(expandVars('$(MISSING)/$(A)', env)).toBe('$(MISSING)/x');
    expect(expandVars('$$(A) costs $$5', env)).toBe('$(A) costs $5');
  });

  it('applies to the pod spec command and args, not to the image defaults', () => {
    expect(argvFor('docker.io/library/busybox', ['echo', '$(A)'], ['$(A)'], { A: 'hi' })).toEqual(['echo', 'hi', 'hi']);
    expect(argvFor('docker.io/library/nginx', undefined, undefined, { A: 'hi' })).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
  });
});
