import { describe, expect, it } from 'vitest';
import { decodeFile, firstInvalidUtf8 } from '../../server/src/core/workspace/readText';
import { workspace } from './helpers';

describe('reading files', () => {
  it('decodes UTF-8', () => {
    expect(decodeFile(new TextEncoder().encode('Zürich 🔥'))).toEqual({ text: 'Zürich 🔥' });
  });

  it('refuses binary files', () => {
    const r = decodeFile(new Uint8Array([0x70, 0x00, 0x01]));
    expect(r.text).toBe('');
    expect(r.problem?.message).toContain('binary');
  });

  it('refuses files over the size limit', () => {
    const r = decodeFile(new Uint8Array(11), 10);
    expect(r.problem?.message).toContain('larger than the limit');
  });

  it('finds the first invalid UTF-8 byte and reports its place in the text', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('ok ü '), 0xc3, 0x28, 0x41]);
    expect(firstInvalidUtf8(bytes)).toBe(6);
    const r = decodeFile(bytes);
    expect(r.problem?.message).toContain('byte 6');
    expect(r.problem?.offset).toBe(5);
    expect(r.text).toContain('\ufffd');
  });

  it('rejects overlong forms and surrogates', () => {
    expect(firstInvalidUtf8(new Uint8Array([0xe0, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xf0, 0x9f, 0x94, 0xa5]))).toBe(4);
  });

  it('turns read problems into findings and still checks the rest of the workspace', () => {
    const { service, path } = workspace({
      'bin.cedar': new Uint8Array([1, 0, 2]),
      'bad.cedar': new Uint8Array([0x70, 0xff]),
      'ok.cedar': 'permit(principal, action, resource);',
    });
    const all = service.checkAll();
    expect(all.get(path('bin.cedar'))![0].message).toContain('binary');
    expect(all.get(path('bad.cedar'))![0]).toMatchObject({ severity: 'error', range: { start: { line: 0, character: 1 } } });
    expect(all.get(path('ok.cedar'))).toEqual([]);
  });
});
