/** A subset of Go's text/template, as kubectl's go-template printer runs it. */
import { CommandError } from '../context';

export interface GoTemplate {
  execute(data: unknown, options: { allowMissingKeys: boolean }): string;
}

export function compileGoTemplate(_text: string): GoTemplate {
  throw new CommandError('error: go-template output is not implemented yet');
}
