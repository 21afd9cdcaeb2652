/**
 * kubectl's human-readable printer for server Tables: priority-0 columns unless wide, NAMESPACE
 * first with -A, the kind prefix on the name column when several kinds print, -L label columns
 * and LABELS; headers once per set of columns, and no header for a Table without rows. Rows are
 * aligned by a tabwriter that remembers widths (a watch's later rows line up).
 */
import type { Table, TableColumnDefinition } from '../../../sim';
import { goValue, RememberingTabWriter } from '../../printers';

export interface HumanOptions {
  wide: boolean;
  noHeaders: boolean;
  withNamespace: boolean;
  /** `deployment.apps`: prefix names with it. */
  kind: string | undefined;
  showLabels: boolean;
  labelColumns: string[];
}

const EVENT_TYPES: Record<string, string> = { ADDED: 'ADDED   ', MODIFIED: 'MODIFIED', DELETED: 'DELETED ', ERROR: 'ERROR   ' };

export class HumanPrinter {
  private readonly writer = new RememberingTabWriter();
  private lastColumns: TableColumnDefinition[] | undefined;
  private printedHeaders = false;

  constructor(private readonly o: HumanOptions) {}

  /** Queues a Table's lines (flush() returns them aligned). `eventType` adds the EVENT column (--output-watch-events). */
  print(table: Table, eventType?: string): void {
    let noHeaders = this.o.noHeaders;
    const same = this.lastColumns && JSON.stringify(table.columnDefinitions) === JSON.stringify(this.lastColumns);
    if (this.printedHeaders && (table.columnDefinitions.length === 0 || same)) noHeaders = true;
    const columns = table.columnDefinitions.length === 0 ? (this.lastColumns ?? []) : table.columnDefinitions;
    if (!same && table.columnDefinitions.length > 0) {
      this.lastColumns = table.columnDefinitions;
      this.printedHeaders = false;
    }
    if (table.rows.length > 0) this.printedHeaders = true;
    if (!noHeaders && table.rows.length === 0) return;

    const shown = columns.map((col, index) => ({ col, index })).filter(({ col }) => this.o.wide || col.priority === 0);
    const nameColumn = this.o.kind ? columns.findIndex((c) => c.format === 'name' && c.type === 'string') : -1;
    const labelHeaders = this.o.labelColumns.map((l) => l.split('/').at(-1)!.toUpperCase());
    const event = eventType !== undefined ? [EVENT_TYPES[eventType] ?? eventType] : undefined;
    if (!noHeaders) {
      this.writer.write([
        ...(event ? ['EVENT'] : []),
        ...(this.o.withNamespace ? ['NAMESPACE'] : []),
        ...shown.map(({ col }) => col.name.toUpperCase()),
        ...labelHeaders,
        ...(this.o.showLabels ? ['LABELS'] : []),
      ]);
    }
    const indexes = shown.map(({ index }) => index);
    for (const row of table.rows) {
      const meta = row.object?.metadata;
      const line: string[] = event ? [...event] : [];
      if (this.o.withNamespace) line.push(meta?.namespace ?? '');
      for (const index of indexes) {
        const text = formatCell(row.cells[index]);
        line.push(index === nameColumn ? `${this.o.kind}/${text}` : text);
      }
      if (this.o.labelColumns.length || this.o.showLabels) {
        const labels = meta?.labels ?? {};
        for (const k of this.o.labelColumns) line.push(labels[k] ?? '');
        if (this.o.showLabels) line.push(formatLabels(labels));
      }
      this.writer.add(line);
    }
  }

  flush(): string {
    return this.writer.flush();
  }
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** A cell as kubectl prints it: up to its first line break (then "..."), terminal escapes made visible. */
function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell !== 'string') return escape(goValue(cell));
  if (!SPECIAL.test(cell)) return cell;
  const br = cell.search(/[\f\n\r]/);
  return br >= 0 ? `${escape(cell.slice(0, br))}...` : escape(cell);
}

/** Characters formatCell changes; most cells have none. */
const SPECIAL = /[\f\n\r\x1b]/;

function escape(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}
