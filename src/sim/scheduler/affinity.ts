/** Node selector terms and label matching as the scheduler evaluates them. */
import { matchExpression } from '../labels';

export { matchesLabelSelector } from '../labels';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
