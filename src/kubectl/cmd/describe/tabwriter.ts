/**
 * Go's text/tabwriter as describe configures it (minwidth 0, padding 2, space padding, no flags).
 * Unlike the table printers' simple alignment, columns are aligned per *column block*: a run of
 * consecutive lines that all have a cell in that column. A line with fewer cells ends the block,
 * so "Name:\tweb" lines align with each other but not with the indented container fields that
 * follow a "Containers:" line. The text after a line's last tab is not a cell and is never padded.
 */
const PADDING = 2;

type Line = string[];

function width(s: string): number {
  return [...s].length;
}

function format(lines: Line[], out: string[], widths: number[], line0: number, line1: number): void {
  const column = widths.length;
  let start = line0;
  for (let i = line0; i < line1; i++) {
    if (column >= lines[i]!.length - 1) continue;
    // A cell in this column: print the lines before the block, then size the block.
    writeLines(lines, out, widths, start, i);
    start = i;
    let w = 0;
    for (; i < line1; i++) {
      const line = lines[i]!;
      if (column >= line.length - 1) break;
      w = Math.max(w, width(line[column]!) + PADDING);
    }
    widths.push(w);
    format(lines, out, widths, start, i);
    widths.pop();
    start = i;
    i--; // the loop's i++ revisits the line that ended the block
  }
  writeLines(lines, out, widths, start, line1);
}

function writeLines(lines: Line[], out: string[], widths: number[], line0: number, line1: number): void {
  for (let i = line0; i < line1; i++) {
    const line = lines[i]!;
    let text = '';
    line.forEach((cell, j) => {
      text += cell;
      if (j < widths.length && j < line.length - 1) text += ' '.repeat(Math.max(0, widths[j]! - width(cell)));
    });
    out.push(text);
  }
}

/** Aligns `text` (complete lines, tab-separated cells) as Go's tabwriter flushes it. */
export function tabAlign(text: string): string {
  if (!text) return '';
  const raw = text.split('\n');
  const trailingNewline = raw[raw.length - 1] === '';
  if (trailingNewline) raw.pop();
  const lines = raw.map((l) => l.split('\t'));
  const out: string[] = [];
  format(lines, out, [], 0, lines.length);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}
