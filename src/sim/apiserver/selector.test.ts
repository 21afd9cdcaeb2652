import { describe, expect, it } from 'vitest';
import { matchesLabels, parseLabelSelector, SelectorParseError } from './selector';

const labels = { app: 'web', tier: 'frontend', env: 'prod' };

describe('label selectors', () => {
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=api', false],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['env in (prod,staging)', true],
    ['env notin (prod)', false],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app in (web), !missing , tier', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('parses an empty selector as matching everything', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(matchesLabels([], undefined)).toBe(true);
  });

  it('rejects malformed selectors', () => {
    expect(() => parseLabelSelector('env in (prod')).toThrow(SelectorParseError);
    expect(() => parseLabelSelector('a=b c=d')).toThrow(SelectorParseError);
  });
});
