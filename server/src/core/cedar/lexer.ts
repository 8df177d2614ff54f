/**
 * A tolerant tokenizer for Cedar policy and schema text. Cedar's own parser (cedar-wasm) is the
 * judge of syntax; this lexer only finds statement boundaries, annotations, names and the token
 * under the cursor, so it never fails: bad input becomes `unknown` or unterminated tokens.
 * Offsets are UTF-16 indices into the text.
 */
export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'comment' | 'slot' | 'unknown';

export interface Token {
  kind: TokenKind;
  /** For `punct`, the operator itself; for `string`, the raw text including quotes. */
  text: string;
  start: number;
  end: number;
  /** A string that reaches the end of the text without its closing quote. */
  unterminated?: boolean;
}

const TWO_CHAR_PUNCT = new Set(['::', '==', '!=', '<=', '>=', '&&', '||']);
const ONE_CHAR_PUNCT = new Set([...'(){}[],;.<>!+-*%@?=:&|']);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff || c === 12 || c === 11;
}

/**
 * Tokens of `text`, comments included (callers filter them when they need code only). With
 * `maxCode`, it stops after the first code token past that many: a guard that only asks whether
 * a text passes a limit never holds the half a million token objects of a megabyte of garbage
 * (each Cedar worker grew by ~60 MB per such megabyte, on every edit).
 */
export function tokenize(text: string, maxCode = Infinity): Token[] {
  const tokens: Token[] = [];
  eachToken(text, (t) => void tokens.push(t), maxCode);
  return tokens;
}

/**
 * Hands each token of `text` to `visit` (comments included) without keeping them: a reader that
 * needs only a few of them (a file's statement boundaries) never holds all of a megabyte's.
 * With `maxCode`, it stops after the first code token past that many.
 */
export function eachToken(text: string, visit: (t: Token) => void, maxCode = Infinity): void {
  const n = text.length;
  let i = 0;
  let code = 0;
  while (i < n && code <= maxCode) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      visit({ kind: 'comment', text: text.slice(start, i), start, end: i });
    } else if (c === 34) {
      i++;
      let closed = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) {
          i++;
          closed = true;
          break;
        } else i++;
      }
      i = Math.min(i, n);
      visit({ kind: 'string', text: text.slice(start, i), start, end: i, ...(closed ? {} : { unterminated: true }) });
      code++;
    } else if (isIdentStart(c)) {
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      visit({ kind: 'ident', text: text.slice(start, i), start, end: i });
      code++;
    } else if (isDigit(c)) {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      visit({ kind: 'number', text: text.slice(start, i), start, end: i });
      code++;
    } else if (c === 63 && isIdentStart(text.charCodeAt(i + 1))) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      visit({ kind: 'slot', text: text.slice(start, i), start, end: i });
      code++;
    } else {
      const two = text.slice(i, i + 2);
      if (TWO_CHAR_PUNCT.has(two)) i += 2;
      else if (ONE_CHAR_PUNCT.has(text[i])) i++;
      else {
        // One code point, so a surrogate pair is never split.
        i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        visit({ kind: 'unknown', text: text.slice(start, i), start, end: i });
        code++;
        continue;
      }
      visit({ kind: 'punct', text: text.slice(start, i), start, end: i });
      code++;
    }
  }
}

/** Tokens without comments (with `max`, at most one past it: see `tokenize`). */
export function codeTokens(text: string, max?: number): Token[] {
  return tokenize(text, max).filter((t) => t.kind !== 'comment');
}

/** The value of a Cedar string literal (escapes resolved); tolerant of bad escapes. */
export function unquote(raw: string): string {
  const body = raw.startsWith('"') ? raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined) : raw;
  return body.replace(/\\(u\{([0-9a-fA-F]{1,6})\}|.)/gs, (_m, esc: string, hex?: string) => {
    if (hex) {
      const cp = parseInt(hex, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    switch (esc) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '0':
        return '\0';
      default:
        return esc;
    }
  });
}
