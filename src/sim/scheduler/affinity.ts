/** Node selector terms and label matching as the scheduler evaluates them. */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function matchExpression(labels: Record<string, string>, e: Obj, fields?: Record<string, string>): boolean {
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

/** A NodeSelectorTerm: all its expressions and field expressions hold. */
export function matchesNodeSelectorTerm(node: Obj, term: Obj): boolean {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  const exprs: Obj[] = term.matchExpressions ?? [];
  const fields: Obj[] = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return exprs.every((e) => matchExpression(labels, e)) && fields.every((e) => matchExpression(labels, e, { 'metadata.name': node.metadata?.name }));
}

/** nodeSelector plus required node affinity (terms are ORed). */
export function matchesNodeAffinity(pod: Obj, node: Obj): boolean {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries<string>(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    const terms: Obj[] = required.nodeSelectorTerms ?? [];
    if (!terms.some((t) => matchesNodeSelectorTerm(node, t))) return false;
  }
  return true;
}

/** metav1.LabelSelector against labels. */
export function matchesLabelSelector(sel: Obj | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries<string>(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  return ((sel.matchExpressions ?? []) as Obj[]).every((e) => matchExpression(l, e));
}
