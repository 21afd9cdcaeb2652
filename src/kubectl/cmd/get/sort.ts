/**
 * --sort-by as kubectl sorts: a relaxed JSONPath on each object (a Table's rows carry the whole
 * object), the first value found; objects without it first; numbers as numbers, strings that are
 * both quantities as quantities, other strings bytewise. Fails when no object has the field.
 */
import type { KubeObject, Table } from '../../../sim';
import { CommandError } from '../../context';
import { goSort } from '../../gosort';
import { asJsonData, compileJsonPath, JsonPathError, relaxedJsonPath } from '../../printers';

function program(sortBy: string): { field: string; find: (o: unknown) => unknown[] } {
  let field: string;
  try {
    field = relaxedJsonPath(sortBy);
  } catch {
    field = sortBy;
  }
  try {
    const p = compileJsonPath(field);
    return {
      field,
      find: (o) => {
        const r = p.find(asJsonData(o), { allowMissingKeys: true });
        return r.length > 0 ? r[0]! : [];
      },
    };
  } catch (err) {
    if (err instanceof JsonPathError) throw new CommandError(`error: sorting error: ${err.message}`);
    throw err;
  }
}

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

function quantity(s: string): number | undefined {
  const m = QUANTITY.exec(s);
  if (!m) return undefined;
  const base = Number(m[1]) * (m[2] ? 10 ** Number(m[2].slice(1)) : 1);
  return base * (m[3] ? SUFFIX[m[3]]! : 1);
}

function isLess(a: unknown, b: unknown, field: string): boolean {
  if (a === null || a === undefined) return b !== null && b !== undefined;
  if (b === null || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = quantity(a);
    const qb = quantity(b);
    if (qa !== undefined && qb !== undefined) return qa < qb;
    return a < b;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (!isLess(a[i], b[i], field)) return false;
    return true;
  }
  throw new CommandError(`error: Field ${field} is an unsortable type: ${typeof a}`);
}

/** sort.Sort (pdqsort) over the items, as kubectl's RuntimeSort and TableSorter: ties land where Go leaves them. */
function sortBy<T>(items: readonly T[], values: unknown[][], field: string): T[] {
  const idx = items.map((_, i) => i);
  const less = (i: number, j: number) => {
    const vi = values[i]!;
    const vj = values[j]!;
    if (vi.length === 0) return true;
    if (vj.length === 0) return false;
    return isLess(vi[0], vj[0], field);
  };
  goSort(idx, less);
  return idx.map((i) => items[i]!);
}

export function sortTable(table: Table, sortByField: string): Table {
  if (table.rows.length <= 1) return table;
  const p = program(sortByField);
  const values = table.rows.map((r) => p.find(r.object));
  if (!values.some((v) => v.length > 0)) throw new CommandError(`error: couldn't find any field with path "${p.field}" in the list of objects`);
  return { ...table, rows: sortBy(table.rows, values, p.field) };
}

export function sortObjects(objects: readonly KubeObject[], sortByField: string): KubeObject[] {
  const p = program(sortByField);
  const values = objects.map((o) => p.find(o));
  if (!values.some((v) => v.length > 0)) throw new CommandError(`error: couldn't find any field with path "${p.field}" in the list of objects`);
  return sortBy(objects, values, p.field);
}
