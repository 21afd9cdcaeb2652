import { describe, expect, it } from 'vitest';
import { goYaml } from './goyaml';

describe('goYaml', () => {
  it('writes a manifest as kubectl does', () => {
    expect(goYaml({ b: [{ x: 1, y: 'a b' }, 'c'], a: {}, c: [], d: { e: 'yes', f: '*/1 * * * *', g: '', h: 'x\ny\n', i: 'x\ny' } })).toBe(
      `a: {}
b:
- x: 1
  "y": a b
- c
c: []
d:
  e: "yes"
  f: '*/1 * * * *'
  g: ""
  h: |
    x
    y
  i: |-
    x
    y
`,
    );
  });
});
