import { parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { cedarGateway } from '../../server/src/core/cedar/gateway';
import { exactJsonText, exactNumber, exactValueOf, isExactInteger } from '../../server/src/core/text/losslessJson';

const read = (text: string) => exactValueOf(parseTree(text)!, text);

describe('exact JSON numbers (Cedar Long is 64-bit)', () => {
  it('keeps integers beyond 2^53 exactly as written, and ordinary numbers as numbers', () => {
    const text = '{"a": 9007199254740993, "b": [-9223372036854775808, 42, 1.5], "c": "x"}';
    const value = read(text) as { a: unknown; b: unknown[]; c: string };
    expect(isExactInteger(value.a)).toBe(true);
    expect(value.b[1]).toBe(42);
    expect(value.b[2]).toBe(1.5);
    expect(JSON.stringify(value)).toBe('{"a":9007199254740993,"b":[-9223372036854775808,42,1.5],"c":"x"}');
    expect(isExactInteger(exactNumber('9007199254740991'))).toBe(false);
  });

  it('reaches Cedar unchanged, in the context and in entity attributes', () => {
    const id = 'lossless-test';
    expect(
      cedarGateway.preparsePolicySet(id, [
        {
          id: 'p',
          isTemplate: false,
          text: 'permit(principal, action, resource) when { context.n == 9007199254740993 && principal.n == 9223372036854775807 };',
        },
      ]),
    ).toEqual([]);
    const P = { type: 'A', id: 'a' };
    const ask = (contextText: string, attrText: string) =>
      cedarGateway.authorize(
        id,
        { principal: P, action: { type: 'Action', id: 'x' }, resource: P, context: read(contextText) as never },
        [{ uid: P, attrs: read(attrText), parents: [] }],
      );
    expect(ask('{"n": 9007199254740993}', '{"n": 9223372036854775807}')).toMatchObject({ decision: 'allow' });
    // One less: with JSON.parse both would round to 2^53 and the answer would be the same.
    expect(ask('{"n": 9007199254740992}', '{"n": 9223372036854775807}')).toMatchObject({ decision: 'deny' });
    expect(JSON.parse('{"n": 9007199254740993}').n).toBe(JSON.parse('{"n": 9007199254740992}').n);
  });
});

describe('exact JSON text (issue 10: Node 20 garbled a raw value once its output held a wide character)', () => {
  it('writes what JSON.stringify writes, with integers beyond 2^53 as written, beside any character', () => {
    const plain = { a: [1, 'x', null, true, { b: undefined, c: 'é€\ud800' }], d: {}, e: [], f: undefined, g: () => 1 };
    for (const indent of [0, 2]) expect(exactJsonText(plain, indent)).toBe(JSON.stringify(plain, null, indent));
    const wide = '€ note 9007199254740993';
    // A slice of a text holding a character beyond Latin-1 is a two-byte string, however plain.
    const value = read(`{"${wide.slice(2, 6)}": "${wide}", "n": 9007199254740993, "m": [-9223372036854775808]}`);
    const text = exactJsonText(value);
    expect(text).toBe(`{"note":"${wide}","n":9007199254740993,"m":[-9223372036854775808]}`);
    expect(JSON.parse(text)).toMatchObject({ note: wide });
  });
});
