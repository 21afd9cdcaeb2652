/** Label matching as apimachinery evaluates selectors: requirements, and metav1.LabelSelector. */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One selector requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt) against labels or fields. */
export function matchExpression(labels: Record<string, string>, e: Obj, fields?: Record<string, string>): boolean {
  const source = fields ?? labels;
  const has = Object.prototype.hasOwnProperty.call(source, e.key);
  const v = source[e.key];
  const values: string[] = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return has && values.includes(v!);
    case 'NotIn':
      return !has || !values.includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(v) > Number(values[0]);
    case 'Lt':
      return has && Number(v) < Number(values[0]);
    default:
      return false;
  }
}

/** metav1.LabelSelector against labels: a missing selector matches nothing, an empty one everything. */
export function matchesLabelSelector(sel: Obj | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries<string>(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  return ((sel.matchExpressions ?? []) as Obj[]).every((e) => matchExpression(l, e));
}
