import type { Table } from '../../sim';
import { tabwrite } from './tabwriter';

export interface TablePrintOptions {
  wide: boolean;
  noHeaders: boolean;
  /** Prepend a NAMESPACE column (kubectl get -A on namespaced resources). */
  withNamespace?: boolean;
  /** Append a LABELS column (--show-labels). */
  showLabels?: boolean;
}

/** Prints a server-side Table as kubectl's human-readable printer does. */
export function printTable(table: Table, options: TablePrintOptions): string {
  const shown = table.columnDefinitions
    .map((col, index) => ({ col, index }))
    .filter(({ col }) => options.wide || col.priority === 0);
  const lines: string[][] = [];
  const header = shown.map(({ col }) => col.name.toUpperCase());
  if (!options.noHeaders) lines.push([...(options.withNamespace ? ['NAMESPACE'] : []), ...header, ...(options.showLabels ? ['LABELS'] : [])]);
  for (const row of table.rows) {
    const line: string[] = options.withNamespace ? [row.object?.metadata.namespace ?? ''] : [];
    for (const { index } of shown) line.push(formatCell(row.cells[index]));
    if (options.showLabels) line.push(formatLabels(row.object?.metadata.labels));
    lines.push(line);
  }
  return tabwrite(lines);
}

function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

const LINE_BREAK = /[\f\n\r]/;

/** Cells print up to their first line break, with "..." marking the cut, as kubectl does. */
function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  const text = typeof cell === 'string' ? cell : String(cell);
  const br = LINE_BREAK.test(text) ? text.search(LINE_BREAK) : -1;
  return br >= 0 ? `${text.slice(0, br)}...` : text;
}
