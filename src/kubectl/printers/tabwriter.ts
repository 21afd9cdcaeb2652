/**
 * Column alignment as kubectl's printers do it: Go's text/tabwriter with minwidth 6, padding 3
 * and space padding. Cells are separated by tabs; the text after a line's last tab is not a
 * cell and is never padded.
 */
const MIN_WIDTH = 6;
const PADDING = 3;

const SURROGATE = /[\uD800-\uDFFF]/;

const PADS: string[] = [];

function spaces(n: number): string {
  return (PADS[n] ??= ' '.repeat(n));
}

/** Runes, as Go's tabwriter counts them: code points (UTF-16 length unless there are surrogate pairs). */
function displayWidth(s: string): number {
  return SURROGATE.test(s) ? [...s].length : s.length;
}

export function tabwrite(lines: readonly string[][]): string {
  const columns = Math.max(0, ...lines.map((l) => l.length - 1));
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) {
    let w = MIN_WIDTH;
    for (const line of lines) {
      if (c < line.length - 1) w = Math.max(w, displayWidth(line[c]!) + PADDING);
    }
    widths.push(w);
  }
  let out = '';
  for (const line of lines) {
    const last = line.length - 1;
    for (let c = 0; c < last; c++) out += line[c]! + spaces(widths[c]! - displayWidth(line[c]!));
    out += `${last >= 0 ? line[last]! : ''}\n`;
  }
  return out;
}

/**
 * kubectl's tabwriter keeps the widths it has used (RememberWidths): rows flushed later (a watch's
 * events) line up with those printed before, and columns only grow. `reset()` forgets them (a new
 * resource type's table).
 */
export class RememberingTabWriter {
  private widths: number[] = [];
  private pending: string[][] = [];

  write(line: readonly string[]): void {
    this.pending.push([...line]);
  }

  /** As write(), taking ownership of `line` (the caller built it for us and never touches it again). */
  add(line: string[]): void {
    this.pending.push(line);
  }

  /** The pending lines, aligned; empty when there are none. */
  flush(): string {
    const lines = this.pending;
    this.pending = [];
    const widths = this.widths;
    // Each padded cell's width, measured once (lines × cells, in order).
    const cellWidths: number[] = [];
    for (const line of lines) {
      for (let c = 0; c < line.length - 1; c++) {
        const w = displayWidth(line[c]!);
        cellWidths.push(w);
        if (!(widths[c]! >= w + PADDING)) widths[c] = Math.max(w + PADDING, MIN_WIDTH);
      }
    }
    for (let c = 0; c < widths.length; c++) if (!(widths[c]! >= MIN_WIDTH)) widths[c] = MIN_WIDTH;
    let out = '';
    let k = 0;
    for (const line of lines) {
      const last = line.length - 1;
      for (let c = 0; c < last; c++) out += line[c]! + spaces(widths[c]! - cellWidths[k++]!);
      out += `${last >= 0 ? line[last]! : ''}\n`;
    }
    return out;
  }

  reset(): void {
    this.widths = [];
  }
}
