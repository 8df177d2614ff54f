import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { jsonDepth } from './jsonDepth';
import type { LineIndex } from './lineIndex';
import type { Range } from './range';

/** A jsonc-parser syntax error as a message: `CommaExpected` → `Invalid JSON: comma expected`. */
function jsonErrorMessage(e: ParseError): string {
  return `Invalid JSON: ${printParseErrorCode(e.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()}`;
}

export interface JsonSyntaxError {
  message: string;
  range: Range;
}

/**
 * Deeper than this, JSON is not read at all: jsonc-parser and every reader after it recurse
 * per level, and a stack overflow there would cost the file its findings (or, deep enough, the
 * process). No workspace file of ours needs a tenth of it.
 */
export const JSON_READ_DEPTH_LIMIT = 128;

export interface JsonParseOptions {
  /** Empty text (or only comments) is no error. */
  allowEmptyContent?: boolean;
  /** Report at most this many errors: a broken file can cascade into hundreds. */
  maxErrors?: number;
}

/**
 * Errors listed when a caller sets no bound; the one after them counts the rest. A megabyte of
 * garbage holds ~800,000 syntax errors: turning each into a message and a range held the
 * editor's thread for a second (and one more per file is the 500 findings a file may show).
 */
const LISTED_ERRORS = 499;

/**
 * An error list for jsonc-parser that keeps the first `keep` errors and counts the rest: a
 * megabyte of garbage is ~800,000 errors, and holding them all until the parse ends made every
 * such edit ~45 MB of garbage (peaks of the server's memory under the fuzzer).
 */
function cappedErrors(keep: number): { errors: ParseError[]; total: () => number } {
  const errors: ParseError[] = [];
  let count = 0;
  // jsonc-parser only ever calls `push` on the list it is given.
  errors.push = (...items: ParseError[]) => {
    for (const e of items) if (count++ < keep) Array.prototype.push.call(errors, e);
    return errors.length;
  };
  return { errors, total: () => count };
}

/**
 * Parses JSON as VS Code does (comments and trailing commas allowed) into a jsonc-parser tree,
 * with each syntax error as a message on its range (at least one character; the empty ones are
 * at the end of the text). What parses is still returned.
 */
export function parseJsonTree(
  text: string,
  lines: LineIndex,
  options: JsonParseOptions = {},
): { root: JsonNode | undefined; errors: JsonSyntaxError[] } {
  const deep = jsonDepth(text, JSON_READ_DEPTH_LIMIT);
  if (deep.offset !== undefined) {
    return {
      root: undefined,
      errors: [
        {
          message: `Nested too deeply: more than ${JSON_READ_DEPTH_LIMIT} levels of objects and arrays. This file was not read.`,
          range: lines.range(deep.offset, deep.offset + 1),
        },
      ],
    };
  }
  const listed = options.maxErrors ?? LISTED_ERRORS;
  const { errors, total } = cappedErrors(listed + 1);
  const root = parseTree(text, errors, {
    allowTrailingComma: true,
    disallowComments: false,
    allowEmptyContent: options.allowEmptyContent ?? false,
  });
  const rangeOf = (e: ParseError) => lines.range(e.offset, e.offset + Math.max(e.length, 1));
  const out = errors.slice(0, listed).map((e) => ({ message: jsonErrorMessage(e), range: rangeOf(e) }));
  if (options.maxErrors === undefined && total() > listed)
    out.push({
      message: `Invalid JSON: ${(total() - listed).toLocaleString('en-US')} more syntax errors from here on are not listed.`,
      range: rangeOf(errors[listed]),
    });
  return { root, errors: out };
}
