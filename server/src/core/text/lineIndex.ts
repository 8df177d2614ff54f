import type { Position, Range } from './range';

/**
 * Maps between offsets and positions of one text. Cedar reports UTF-8 byte offsets while
 * editors count UTF-16 code units, so both kinds of offset are supported.
 */
export class LineIndex {
  /** UTF-16 offset of the start of each line. */
  private readonly lineStarts: number[];
  private byteIndex?: Uint32Array;

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Position of a UTF-16 offset (clamped to the text). */
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  /** UTF-16 offset of a position (clamped to its line). */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    const next = pos.line + 1 < this.lineStarts.length ? this.lineStarts[pos.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** UTF-16 offset of a UTF-8 byte offset; a byte inside a multi-byte character maps to that character. */
  offsetOfByte(byteOffset: number): number {
    const index = this.bytesToUtf16();
    const b = Math.max(0, Math.min(Math.floor(byteOffset), index.length - 1));
    return index[b];
  }

  /** Range of a `[start, end)` span given in UTF-8 bytes. */
  rangeOfBytes(startByte: number, endByte: number): Range {
    return this.range(this.offsetOfByte(startByte), this.offsetOfByte(Math.max(startByte, endByte)));
  }

  /** Built lazily: most texts never need it. Entry b = UTF-16 offset where byte b's character starts. */
  private bytesToUtf16(): Uint32Array {
    if (this.byteIndex) return this.byteIndex;
    const text = this.text;
    const out = new Uint32Array(Buffer.byteLength(text, 'utf8') + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let width: number;
      let units = 1;
      if (c < 0x80) width = 1;
      else if (c < 0x800) width = 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        width = 4;
        units = 2;
      } else width = 3; // includes a lone surrogate, which UTF-8 encoding replaces by U+FFFD (3 bytes)
      for (let k = 0; k < width; k++) out[b + k] = i;
      b += width;
      i += units - 1;
    }
    out[b] = text.length;
    this.byteIndex = out;
    return out;
  }
}
