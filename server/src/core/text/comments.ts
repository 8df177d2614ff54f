import { createScanner, type SyntaxKind } from 'jsonc-parser';
import { Parser } from 'yaml';
import { tokenize } from '../cedar/lexer';
import { typescriptComments } from './tsComments';

/** One comment of a file: UTF-16 offsets, and its text with its markers (`//`, `#`, `/* … *\/`). */
export interface Comment {
  start: number;
  end: number;
  text: string;
  /** A `/* … *\/` comment (TypeScript, JSONC); the others end at their line's end. */
  block: boolean;
}

/** How a file writes comments: each syntax is read by its own tokenizer. */
export type CommentSyntax = 'cedar' | 'typescript' | 'jsonc' | 'yaml';

/** Every comment of a text, in order, by the syntax's own tokenizer (never text inside a string). */
export function commentsOf(text: string, syntax: CommentSyntax): Comment[] {
  switch (syntax) {
    case 'cedar':
      return tokenize(text)
        .filter((t) => t.kind === 'comment')
        .map((t) => ({ start: t.start, end: t.end, text: t.text, block: false }));
    case 'typescript':
      return typescriptComments(text);
    case 'jsonc':
      return jsoncComments(text);
    case 'yaml':
      return yamlComments(text);
  }
}

/** jsonc-parser's `SyntaxKind` values: a `const enum`, which isolated modules cannot read. */
const LINE_COMMENT = 12 as SyntaxKind.LineCommentTrivia;
const BLOCK_COMMENT = 13 as SyntaxKind.BlockCommentTrivia;
const EOF = 17 as SyntaxKind.EOF;

function jsoncComments(text: string): Comment[] {
  const out: Comment[] = [];
  const scanner = createScanner(text, false);
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind !== LINE_COMMENT && kind !== BLOCK_COMMENT) continue;
    const start = scanner.getTokenOffset();
    const end = start + scanner.getTokenLength();
    out.push({ start, end, text: text.slice(start, end), block: kind === BLOCK_COMMENT });
  }
  return out;
}

/**
 * YAML comments from yaml's concrete syntax tree (its lexer and parser are linear): they sit in
 * the `start`, `sep` and `end` token lists of documents, items and scalars, so every object of the
 * tree is searched for them, without recursion (nesting may be deep). A `#` inside a quoted
 * scalar or a block scalar's text is no comment token.
 */
function yamlComments(text: string): Comment[] {
  const out: Comment[] = [];
  const stack: unknown[] = [...new Parser().parse(text)];
  while (stack.length) {
    const x = stack.pop();
    if (!x || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (const v of x) stack.push(v);
      continue;
    }
    const t = x as { type?: string; offset?: number; source?: string };
    if (t.type === 'comment' && typeof t.offset === 'number' && typeof t.source === 'string')
      out.push({ start: t.offset, end: t.offset + t.source.length, text: t.source, block: false });
    for (const v of Object.values(x)) if (v && typeof v === 'object') stack.push(v);
  }
  return out.sort((a, b) => a.start - b.start).filter((c, k) => k === 0 || c.start !== out[k - 1].start);
}
