/** `-o custom-columns=NAME:.metadata.name,…` and custom-columns-file. */
import { CommandError } from '../context';

export interface CustomColumn {
  header: string;
  path: string;
}

export function parseCustomColumns(_spec: string, _fromFile: boolean): CustomColumn[] {
  throw new CommandError('error: custom-columns output is not implemented yet');
}

export function printCustomColumns(_columns: CustomColumn[], _objects: readonly unknown[], _options: { noHeaders: boolean }): string {
  return '';
}
