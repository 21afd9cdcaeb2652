/**
 * Label selectors in the string form the API accepts (k8s.io/apimachinery/pkg/labels):
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, joined by commas.
 */

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' };

export type LabelSelector = Requirement[];

export class SelectorParseError extends Error {}

export function parseLabelSelector(input: string): LabelSelector {
  const reqs: Requirement[] = [];
  let i = 0;
  const s = input;
  const skipSpace = () => {
    while (i < s.length && s[i] === ' ') i++;
  };
  const readKey = (): string => {
    skipSpace();
    const start = i;
    while (i < s.length && !' ,=!()'.includes(s[i]!)) i++;
    return s.slice(start, i);
  };
  const readValue = (): string => {
    skipSpace();
    const start = i;
    while (i < s.length && !' ,()=!'.includes(s[i]!)) i++;
    return s.slice(start, i);
  };
  while (i < s.length) {
    skipSpace();
    if (i >= s.length) break;
    if (s[i] === '!') {
      i++;
      const key = readKey();
      if (!key) throw new SelectorParseError(`found '${s[i] ?? ''}', expected: identifier`);
      reqs.push({ key, op: 'doesnotexist' });
    } else {
      const key = readKey();
      if (!key) throw new SelectorParseError(`found '${s[i] ?? ''}', expected: !, identifier, or 'end of string'`);
      skipSpace();
      if (s.startsWith('==', i) || s.startsWith('!=', i) || s[i] === '=') {
        const op = s.startsWith('!=', i) ? 'notin' : 'in';
        i += s.startsWith('==', i) || s.startsWith('!=', i) ? 2 : 1;
        reqs.push({ key, op, values: [readValue()] });
      } else if (/^(in|notin)\s*\(/.test(s.slice(i))) {
        const op = s.startsWith('notin', i) ? 'notin' : 'in';
        i = s.indexOf('(', i) + 1;
        const close = s.indexOf(')', i);
        if (close < 0) throw new SelectorParseError(`found 'end of string', expected: ')'`);
        const values = s
          .slice(i, close)
          .split(',')
          .map((v) => v.trim());
        i = close + 1;
        reqs.push({ key, op, values });
      } else {
        reqs.push({ key, op: 'exists' });
      }
    }
    skipSpace();
    if (i < s.length) {
      if (s[i] !== ',') throw new SelectorParseError(`found '${s[i]}', expected: ',' or 'end of string'`);
      i++;
    }
  }
  return reqs;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
    }
  });
}
