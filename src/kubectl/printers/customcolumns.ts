/**
 * `-o custom-columns=NAME:.metadata.name,…` and custom-columns-file (a line of headers, a line of
 * paths), as kubectl's custom-columns printer: relaxed JSONPath per column, several values joined
 * by commas, `<none>` when a path finds nothing.
 */
import { CommandError } from '../context';
import { compileJsonPath, goValue, JsonPathError, relaxedJsonPath, type JsonPathProgram } from './jsonpath';
import { asJsonData } from './serialize';
import { tabwrite } from './tabwriter';

export interface CustomColumn {
  header: string;
  /** The JSONPath template (`{.metadata.name}`). */
  path: string;
}

const FILE_FORMAT = 'Expected format is one line of space separated headers, one line of space separated column specs.';

function relaxed(path: string): string {
  try {
    return relaxedJsonPath(path);
  } catch (err) {
    if (err instanceof JsonPathError) throw new CommandError(`error: ${err.message}`);
    throw err;
  }
}

export function parseCustomColumns(spec: string, fromFile: boolean): CustomColumn[] {
  if (!fromFile) {
    if (spec.length === 0) throw new CommandError('error: custom-columns format specified but no custom columns given');
    return spec.split(',').map((part) => {
      const colon = part.indexOf(':');
      if (colon < 0) throw new CommandError(`error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
      return { header: part.slice(0, colon), path: relaxed(part.slice(colon + 1)) };
    });
  }
  const lines = spec.split('\n');
  const words = (l: string | undefined) => (l ?? '').split(/\s+/).filter(Boolean);
  if (lines.length < 1 || (lines.length === 1 && lines[0] === '')) throw new CommandError(`error: invalid template, missing header line. ${FILE_FORMAT}`);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === '')) throw new CommandError(`error: invalid template, missing spec line. ${FILE_FORMAT}`);
  const headers = words(lines[0]);
  const specs = words(lines[1]);
  if (headers.length !== specs.length)
    throw new CommandError(`error: number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  return headers.map((header, i) => ({ header, path: relaxed(specs[i]!) }));
}

/** One cell: every value found, joined by commas; `<none>` when nothing is found. */
export function customColumnCell(program: JsonPathProgram, object: unknown): string {
  let values: unknown[][];
  try {
    values = program.find(object, { allowMissingKeys: true });
  } catch (err) {
    if (err instanceof JsonPathError) throw new CommandError(`error: ${err.message}`);
    throw err;
  }
  const cells: string[] = [];
  if (values.length === 0 || values[0]!.length === 0) cells.push('<none>');
  for (const set of values) for (const v of set) cells.push(escapeTerminal(goValue(v)));
  return cells.join(',');
}

/** Rows for objects, headers first unless noHeaders (without the final tabwriter pass). */
export function customColumnRows(columns: readonly CustomColumn[], objects: readonly unknown[], options: { noHeaders: boolean }): string[][] {
  const programs = columns.map((c) => {
    try {
      return compileJsonPath(c.path);
    } catch (err) {
      if (err instanceof JsonPathError) throw new CommandError(`error: ${err.message}`);
      throw err;
    }
  });
  const rows: string[][] = [];
  if (!options.noHeaders) rows.push(columns.map((c) => c.header));
  for (const obj of objects) {
    const plain = asJsonData(obj);
    rows.push(programs.map((p) => customColumnCell(p, plain)));
  }
  return rows;
}

export function printCustomColumns(columns: readonly CustomColumn[], objects: readonly unknown[], options: { noHeaders: boolean }): string {
  return tabwrite(customColumnRows(columns, objects, options));
}

/** kubectl's EscapeTerminal: ESC as ^[ and carriage returns as \\r. */
export function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}
