import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../server/src/core/text/lineIndex';

describe('LineIndex', () => {
  it('maps UTF-16 offsets to positions across LF and CRLF lines', () => {
    const idx = new LineIndex('ab\ncd\r\nef');
    expect(idx.positionAt(0)).toEqual({ line: 0, character: 0 });
    expect(idx.positionAt(4)).toEqual({ line: 1, character: 1 });
    expect(idx.positionAt(7)).toEqual({ line: 2, character: 0 });
    expect(idx.offsetAt({ line: 2, character: 1 })).toBe(8);
    expect(idx.lineCount).toBe(3);
  });

  it('clamps out-of-range positions and offsets', () => {
    const idx = new LineIndex('abc\nde');
    expect(idx.positionAt(99)).toEqual({ line: 1, character: 2 });
    expect(idx.offsetAt({ line: 0, character: 99 })).toBe(4);
    expect(idx.offsetAt({ line: 9, character: 0 })).toBe(6);
  });

  it('converts UTF-8 byte offsets after two-byte, three-byte and four-byte characters', () => {
    const text = 'Zürich 🔥 € x';
    const idx = new LineIndex(text);
    const byteOfX = Buffer.byteLength(text.slice(0, text.indexOf('x')));
    expect(idx.offsetOfByte(byteOfX)).toBe(text.indexOf('x'));
    // The emoji is two UTF-16 units and four bytes.
    const byteAfterEmoji = Buffer.byteLength('Zürich 🔥');
    expect(idx.offsetOfByte(byteAfterEmoji)).toBe('Zürich 🔥'.length);
  });

  it('maps a byte in the middle of a character to that character', () => {
    const idx = new LineIndex('ü!');
    expect(idx.offsetOfByte(1)).toBe(0);
    expect(idx.offsetOfByte(2)).toBe(1);
  });

  it('gives ranges of byte spans on later lines', () => {
    const text = '// ünïcödé\npermit';
    const idx = new LineIndex(text);
    const start = Buffer.byteLength('// ünïcödé\n');
    expect(idx.rangeOfBytes(start, start + 6)).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });
  });
});
