import { describe, expect, it } from 'vitest';
import { parseEntityRef } from '../../server/src/core/bindings';
import { didYouMean, editDistance } from '../../server/src/core/text/didYouMean';
import { parseJsonTree } from '../../server/src/core/text/jsonErrors';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { posOf, SCHEMA, workspace } from './helpers';

describe('didYouMean', () => {
  it('measures edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('takes the closest candidate within the limit, the first one on ties', () => {
    expect(didYouMean('get_invoce', ['create_refund', 'get_invoice'], { maxDistance: 2 })).toBe('get_invoice');
    expect(didYouMean('abc', ['abx', 'aby'], { maxDistance: 2 })).toBe('abx');
    expect(didYouMean('abc', ['xyz'], { maxDistance: 2 })).toBeUndefined();
    expect(didYouMean('abcdefgh', ['abc'], { maxDistance: 2 })).toBeUndefined();
  });

  it('with ignoreCase, a word equal but for case wins over a closer spelling', () => {
    expect(didYouMean('TYPE', ['TYPO', 'type'], { maxDistance: 2, ignoreCase: true })).toBe('type');
    expect(didYouMean('TYPE', ['TYPO', 'type'], { maxDistance: 2 })).toBe('TYPO');
    expect(didYouMean('Workload', ['workload'], { maxDistance: 0, ignoreCase: true })).toBe('workload');
  });
});

describe('parseJsonTree', () => {
  it('returns what parses and each syntax error on its range', () => {
    const text = '{ "a": 1 "b": 2 }';
    const { root, errors } = parseJsonTree(text, new LineIndex(text));
    expect(root?.type).toBe('object');
    expect(errors).toEqual([
      { message: 'Invalid JSON: comma expected', range: { start: posOf(text, '"b"'), end: posOf(text, '"b"', 3) } },
    ]);
  });

  it('allows comments and trailing commas; empty text only when asked; caps the errors when asked', () => {
    expect(parseJsonTree('// c\n[1, 2,]', new LineIndex('// c\n[1, 2,]')).errors).toEqual([]);
    expect(parseJsonTree('', new LineIndex('')).errors.map((e) => e.message)).toEqual(['Invalid JSON: value expected']);
    expect(parseJsonTree('', new LineIndex(''), { allowEmptyContent: true }).errors).toEqual([]);
    const broken = '[' + '1 '.repeat(30) + ']';
    expect(parseJsonTree(broken, new LineIndex(broken)).errors.length).toBeGreaterThan(3);
    expect(parseJsonTree(broken, new LineIndex(broken), { maxErrors: 3 }).errors).toHaveLength(3);
  });
});

describe('Cedar string escapes (the lexer’s unquote)', () => {
  it('a binding principal with an escape beyond Unicode does not throw', () => {
    expect(parseEntityRef('Agent::"a\\u{110000}b"')).toEqual({ type: 'Agent', id: 'ab' });
    expect(parseEntityRef('Agent::"it\\\'s\\n\\0"')).toEqual({ type: 'Agent', id: "it's\n\0" });
  });

  it("an entity whose id Cedar prints with escapes (here \\') is still located", () => {
    const entities =
      '[\n  { "uid": { "type": "Acme::Team", "id": "t" }, "attrs": {}, "parents": [] },\n  { "uid": { "type": "Acme::User", "id": "it\'s" }, "attrs": {}, "parents": [] }\n]';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'e.cedarentities.json': entities });
    const [f] = service.findings(path('e.cedarentities.json'));
    expect(f.message).toContain('name');
    expect(f.range.start).toEqual(posOf(entities, '{ "type": "Acme::User"'));
  });
});
