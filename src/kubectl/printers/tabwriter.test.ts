import { describe, expect, it } from 'vitest';
import { tabwrite } from './tabwriter';

describe('tabwrite (text/tabwriter minwidth 6, padding 3)', () => {
  it('pads every cell but the last to the column width', () => {
    expect(
      tabwrite([
        ['NAME', 'AGE', 'VERSION'],
        ['controlplane', '5m', 'v1.32.4'],
      ]),
    ).toBe('NAME           AGE   VERSION\ncontrolplane   5m    v1.32.4\n');
  });

  it('gives narrow columns at least six characters', () => {
    expect(tabwrite([['A', 'B'], ['c', 'd']])).toBe('A     B\nc     d\n');
  });
});
