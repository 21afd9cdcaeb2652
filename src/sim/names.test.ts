import { describe, expect, it } from 'vitest';
import { fnv32a, podTemplateHash, safeEncodeString } from './names';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };

describe('names', () => {
  it('computes FNV-1a 32', () => {
    expect(fnv32a([])).toBe(0x811c9dc5);
    expect(fnv32a([...'a'].map((c) => c.charCodeAt(0)))).toBe(0xe40c292c);
    expect(fnv32a([...'foobar'].map((c) => c.charCodeAt(0)))).toBe(0xbf9cf968);
  });

  it('safe-encodes digits into the letters pod-template-hashes are made of', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  it('gives a stable hash per template, changed by the template and the collision count', () => {
    const h = podTemplateHash(template);
    expect(h).toMatch(/^[4-9bcdf]{1,10}$/);
    expect(podTemplateHash(JSON.parse(JSON.stringify(template)))).toBe(h);
    expect(podTemplateHash({ ...template, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } })).not.toBe(h);
    expect(podTemplateHash(template, 1)).not.toBe(podTemplateHash(template, 0));
  });
});
