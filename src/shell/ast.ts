/** Syntax tree of the shell language (a subset of bash that grows with the course). */

export type WordPart =
  | { t: 'lit'; v: string }
  | { t: 'sq'; v: string }
  | { t: 'dq'; parts: WordPart[] }
  | { t: 'param'; name: string; op?: ':-' | '-' | ':=' | ':+'; arg?: WordPart[] };

export type Word = WordPart[];

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<<';
  target: Word;
  /** For `<<`: the collected body and whether it undergoes expansion (unquoted delimiter). */
  heredoc?: { body: string; expand: boolean };
}

export interface SimpleCommand {
  type: 'simple';
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  negate: boolean;
  commands: SimpleCommand[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

/** One line of input as the user typed it (heredoc bodies included), and what it parsed to. */
export interface Line {
  source: string;
  list: AndOr[];
}
