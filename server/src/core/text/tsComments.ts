import type { Comment } from './comments';

/**
 * Keywords after which a `/` starts a regular expression, not a division (`return /x/`).
 * After any other word, a number, `)`, `]` or `}` it is a division.
 */
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const isWordChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xfeff;
const isLineEnd = (c: number) => c === 10 || c === 13;

/**
 * The comments of TypeScript text, found by a small scanner instead of the TypeScript compiler
 * (which lives in the lazily loaded discovery bundle and costs a second to load). It skips
 * strings, template literals (with `${…}` nested to any depth) and regular expressions, so a
 * `//` inside any of them is not a comment. Whether a `/` starts a regular expression is decided
 * by the token before it, as most editors' highlighters do: wrong only in rare cases (a regular
 * expression right after a block's `}`, JSX text), where it may miss or invent a comment on that
 * line. It never throws; unterminated constructs end at the end of their line or of the text.
 */
export function typescriptComments(text: string): Comment[] {
  const out: Comment[] = [];
  const n = text.length;
  /** Brace depth at each open `${`: its `}` resumes the template. */
  const templates: number[] = [];
  let braces = 0;
  let regexAllowed = true;
  let i = 0;

  /** Scans template text from `i` (just after a backtick or a `}` closing `${`). */
  const templateText = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 96) {
        i++;
        regexAllowed = false;
        return;
      } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
        i += 2;
        templates.push(braces);
        braces++;
        regexAllowed = true;
        return;
      } else i++;
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const next = text.charCodeAt(i + 1);
    if (c === 47 && next === 47) {
      while (i < n && !isLineEnd(text.charCodeAt(i))) i++;
      out.push({ start, end: i, text: text.slice(start, i), block: false });
    } else if (c === 47 && next === 42) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      out.push({ start, end: i, text: text.slice(start, i), block: true });
    } else if (c === 39 || c === 34) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (isLineEnd(d)) break;
        else i++;
      }
      regexAllowed = false;
    } else if (c === 96) {
      i++;
      templateText();
    } else if (c === 47 && regexAllowed) {
      i++;
      let inClass = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isLineEnd(d)) break;
        i++;
        if (d === 92) i++;
        else if (d === 91) inClass = true;
        else if (d === 93) inClass = false;
        else if (d === 47 && !inClass) break;
      }
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      regexAllowed = false;
    } else if (isWordChar(c)) {
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      regexAllowed = REGEX_AFTER_WORD.has(text.slice(start, i));
    } else {
      i++;
      if (c === 123) braces++;
      else if (c === 125) {
        braces--;
        if (templates.length && templates[templates.length - 1] === braces) {
          templates.pop();
          templateText();
          continue;
        }
      }
      regexAllowed = c !== 41 && c !== 93 && c !== 125;
    }
  }
  return out;
}
