/** A 0-based line and UTF-16 column, the same shape as an LSP `Position`. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range of `Position`s, the same shape as an LSP `Range`. */
export interface Range {
  start: Position;
  end: Position;
}

export const FIRST_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
