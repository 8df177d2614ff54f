import { LineIndex } from '../text/lineIndex';
import type { Position, Range } from '../text/range';
import type { FixContext, FixEdit } from './model';

/** A file's text as the core sees it (the editor's while open). */
export function textOf(ctx: FixContext, file: string): string | undefined {
  return ctx.file(file)?.text;
}

export function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

export function sameRange(a: Range, b: Range): boolean {
  return samePosition(a.start, b.start) && samePosition(a.end, b.end);
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);

/** Ranges that share a position (touching counts: a cursor at the end of a finding asks for its fixes). */
export function touches(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The line break the file already uses. */
export function lineBreakOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** The leading spaces and tabs of a line. */
export function indentOf(text: string, line: number): string {
  const lines = new LineIndex(text);
  const start = lines.offsetAt({ line, character: 0 });
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The position at the end of a line, before its line break. */
export function lineEnd(text: string, line: number): Position {
  const lines = new LineIndex(text);
  const start = lines.offsetAt({ line, character: 0 });
  const rest = text.slice(start);
  const m = /\r\n|\r|\n/.exec(rest);
  return lines.positionAt(start + (m ? m.index : rest.length));
}

export function insertion(file: string, at: Position, newText: string): FixEdit {
  return { file, range: { start: at, end: at }, newText };
}

/** The position after the last character of a text. */
export function endOf(text: string): Position {
  return new LineIndex(text).positionAt(text.length);
}

/**
 * A Cedar string literal. Cedar's escapes are Rust's: `\u{…}`, not JSON's `\uXXXX`, so control
 * characters are written that way.
 */
export function cedarString(value: string): string {
  return `"${value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) =>
    c === '\\' || c === '"' ? `\\${c}` : `\\u{${c.charCodeAt(0).toString(16)}}`,
  )}"`;
}

/** `payments-api` + `token` → `PAYMENTS_API_TOKEN`: an environment variable name made of words. */
export function envName(...parts: string[]): string {
  const words = parts
    .flatMap((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((w) => w.toUpperCase());
  const deduped = words.filter((w, i) => w !== words[i - 1]);
  const name = deduped.join('_') || 'SECRET';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
