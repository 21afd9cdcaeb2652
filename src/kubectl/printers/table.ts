import type { Table } from '../../sim';
import { tabwrite } from './tabwriter';

export interface TablePrintOptions {
  wide: boolean;
  noHeaders: boolean;
}

/** Prints a server-side Table as kubectl's human-readable printer does. */
export function printTable(table: Table, options: TablePrintOptions): string {
  const shown = table.columnDefinitions
    .map((col, index) => ({ col, index }))
    .filter(({ col }) => options.wide || col.priority === 0);
  const lines: string[][] = [];
  if (!options.noHeaders) lines.push(shown.map(({ col }) => col.name.toUpperCase()));
  for (const row of table.rows) lines.push(shown.map(({ index }) => formatCell(row.cells[index])));
  return tabwrite(lines);
}

function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) return '<none>';
  if (typeof cell === 'string') return cell;
  return String(cell);
}
