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
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    allowTrailingComma: true,
    disallowComments: false,
    allowEmptyContent: options.allowEmptyContent ?? false,
  });
  return {
    root,
    errors: errors
      .slice(0, options.maxErrors)
      .map((e) => ({ message: jsonErrorMessage(e), range: lines.range(e.offset, e.offset + Math.max(e.length, 1)) })),
  };
}
