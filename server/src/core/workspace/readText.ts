/** A problem with a file's bytes that stops it being read as text. */
export interface ReadProblem {
  message: string;
  /** UTF-16 offset in the decoded text where the problem starts. */
  offset: number;
  severity: 'error' | 'warning';
}

export interface DecodedText {
  text: string;
  problem?: ReadProblem;
}

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Decodes a file as UTF-8 for analysis. Binary and oversized files give no text and a problem;
 * invalid UTF-8 is decoded with replacement characters and reported where it first occurs.
 */
export function decodeFile(bytes: Uint8Array, maxBytes = DEFAULT_MAX_FILE_BYTES): DecodedText {
  if (bytes.length > maxBytes) {
    return {
      text: '',
      problem: {
        severity: 'warning',
        offset: 0,
        message: `File is ${mb(bytes.length)}, larger than the limit of ${mb(maxBytes)} (setting agentgov.maxFileSize): not checked.`,
      },
    };
  }
  // UTF-16 (with its byte order mark): an editor shows it fine, but no tool here reads it.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return {
      text: '',
      problem: {
        severity: 'error',
        offset: 0,
        message: 'This file is UTF-16: save it as UTF-8 to have it checked. Not checked.',
      },
    };
  }
  if (bytes.indexOf(0) !== -1) {
    return {
      text: '',
      problem: {
        severity: 'error',
        offset: 0,
        message: 'This looks like a binary file (it contains NUL bytes), not text: not checked.',
      },
    };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const text = new TextDecoder('utf-8').decode(bytes);
    const offset = new TextDecoder('utf-8').decode(bytes.subarray(0, bad)).length;
    return {
      text,
      problem: {
        severity: 'error',
        offset,
        message: `Invalid UTF-8 at byte ${bad}: workspace files must be UTF-8. The bad bytes are shown as U+FFFD.`,
      },
    };
  }
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Byte offset of the first byte that does not start a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    // Overlong three-byte forms and surrogates are invalid too.
    if (need === 2 && ((c === 0xe0 && b[i + 1] < 0xa0) || (c === 0xed && b[i + 1] >= 0xa0))) return i;
    if (need === 3 && ((c === 0xf0 && b[i + 1] < 0x90) || (c === 0xf4 && b[i + 1] >= 0x90))) return i;
    i += need + 1;
  }
  return b.length;
}

/** A UTF-16 surrogate without its other half: no encoding can hold it, and Cedar refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * An editor's text as the core reads it: an editor can hold lone surrogates (a paste, an
 * extension's edit) that no file on disk can; they become U+FFFD, as decoding would make them,
 * and the first one is reported, so every reader sees the same well-formed text.
 */
export function decodeEditorText(text: string): DecodedText {
  LONE_SURROGATE.lastIndex = 0;
  const first = LONE_SURROGATE.exec(text);
  if (!first) return { text };
  const code = first[0].charCodeAt(0).toString(16).toUpperCase();
  return {
    text: text.replace(LONE_SURROGATE, '\uFFFD'),
    problem: {
      severity: 'error',
      offset: first.index,
      message: `A lone UTF-16 surrogate (U+${code}) cannot be saved as UTF-8; it is read as U+FFFD.`,
    },
  };
}
