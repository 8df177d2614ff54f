import { describe, expect, it } from 'vitest';
import { codeTokens, tokenize, unquote } from '../../server/src/core/cedar/lexer';

describe('lexer', () => {
  it('splits entity references, operators and slots', () => {
    const toks = codeTokens('principal == Acme::User::"a" && ?resource != 1');
    expect(toks.map((t) => t.text)).toEqual(['principal', '==', 'Acme', '::', 'User', '::', '"a"', '&&', '?resource', '!=', '1']);
    expect(toks[8].kind).toBe('slot');
  });

  it('keeps comments apart and strings with escaped quotes whole', () => {
    const toks = tokenize('"a\\"b" // c "d"\nx');
    expect(toks.map((t) => t.kind)).toEqual(['string', 'comment', 'ident']);
    expect(toks[0].text).toBe('"a\\"b"');
  });

  it('marks an unterminated string that runs to the end', () => {
    const [t] = tokenize('"never closed');
    expect(t.unterminated).toBe(true);
    expect(t.end).toBe(13);
  });

  it('never splits a surrogate pair into two unknown tokens', () => {
    const toks = tokenize('🔥x');
    expect(toks[0]).toMatchObject({ kind: 'unknown', text: '🔥' });
    expect(toks[1]).toMatchObject({ kind: 'ident', text: 'x' });
  });

  it('unquotes Cedar escapes', () => {
    expect(unquote('"a\\n\\t\\"\\u{1F525}"')).toBe('a\n\t"🔥');
  });
});

describe('lexer with a bound (the guards: is a text past a limit?)', () => {
  it('stops one code token past the bound, comments not counted', () => {
    const text = `// a comment\n${'ab, '.repeat(100_000)}`;
    const bounded = codeTokens(text, 10);
    expect(bounded).toHaveLength(11);
    expect(bounded.map((t) => t.text).slice(0, 3)).toEqual(['ab', ',', 'ab']);
    expect(tokenize(text, 10)[0].kind).toBe('comment');
    expect(codeTokens(text)).toHaveLength(200_000);
  });
});
