import type { Token } from '../cedar/lexer';
import { unquote } from '../cedar/lexer';

/** What the token under (or just before) the cursor in a policy names. */
export type CursorTarget =
  | { kind: 'type'; name: string; start: number; end: number }
  | { kind: 'uid'; type: string; id: string; start: number; end: number; /** Where the id's string starts. */ idStart: number }
  | { kind: 'attribute'; chain: ChainBase; path: string[]; name: string; start: number; end: number }
  | { kind: 'variable'; name: 'principal' | 'action' | 'resource' | 'context'; start: number; end: number };

/** The start of an attribute chain: a variable or an entity literal. */
export type ChainBase = { var: 'principal' | 'action' | 'resource' | 'context' } | { entityType: string };

const VARS = new Set(['principal', 'action', 'resource', 'context']);

/** Index of the token containing `offset` (touching its end counts, so a just-typed word is found). */
export function tokenIndexAt(tokens: Token[], offset: number): number {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].start <= offset && offset <= tokens[i].end) {
      // Prefer the word over a following punctuation when the cursor sits between them.
      if (offset === tokens[i].end && tokens[i + 1]?.start === offset && tokens[i + 1].kind !== 'punct') return i + 1;
      return i;
    }
    if (tokens[i].start > offset) return -1;
  }
  return -1;
}

/** The path `A::B::C` that token `i` belongs to, with its first and last token indexes. */
export function pathAround(tokens: Token[], i: number): { names: string[]; first: number; last: number } {
  let first = i;
  while (tokens[first - 1]?.text === '::' && tokens[first - 2]?.kind === 'ident') first -= 2;
  let last = i;
  while (tokens[last + 1]?.text === '::' && tokens[last + 2]?.kind === 'ident') last += 2;
  const names: string[] = [];
  for (let k = first; k <= last; k += 2) names.push(tokens[k].text);
  return { names, first, last };
}

export function targetAt(tokens: Token[], offset: number): CursorTarget | undefined {
  const i = tokenIndexAt(tokens, offset);
  if (i < 0) return undefined;
  const t = tokens[i];
  if (t.kind === 'string' && tokens[i - 1]?.text === '::' && tokens[i - 2]?.kind === 'ident') {
    const p = pathAround(tokens, i - 2);
    return {
      kind: 'uid',
      type: p.names.join('::'),
      id: unquote(t.text),
      start: tokens[p.first].start,
      end: t.end,
      idStart: t.start,
    };
  }
  if (t.kind !== 'ident') return undefined;
  const prev = tokens[i - 1];
  if (prev?.text === '.' || prev?.text === 'has') {
    const chain = chainBefore(tokens, prev.text === '.' ? i - 2 : i - 2);
    if (chain) return { kind: 'attribute', chain: chain.base, path: chain.path, name: t.text, start: t.start, end: t.end };
    return undefined;
  }
  if (VARS.has(t.text) && tokens[i + 1]?.text !== '::' && prev?.text !== '::')
    return { kind: 'variable', name: t.text as 'principal', start: t.start, end: t.end };
  const p = pathAround(tokens, i);
  const after = tokens[p.last + 1];
  const next = tokens[p.last + 2];
  if (after?.text === '::' && next?.kind === 'string') {
    return {
      kind: 'uid',
      type: p.names.join('::'),
      id: unquote(next.text),
      start: tokens[p.first].start,
      end: next.end,
      idStart: next.start,
    };
  }
  return { kind: 'type', name: p.names.join('::'), start: tokens[p.first].start, end: tokens[p.last].end };
}

/**
 * The attribute chain ending at token `end` (inclusive): `context.input` gives base `context`
 * and path `['input']`; `Ns::T::"x".a` gives base entity `Ns::T` and path `['a']`.
 */
export function chainBefore(tokens: Token[], end: number): { base: ChainBase; path: string[] } | undefined {
  const path: string[] = [];
  let k = end;
  for (;;) {
    const t = tokens[k];
    if (!t) return undefined;
    if (t.kind === 'ident' && VARS.has(t.text) && tokens[k - 1]?.text !== '.' && tokens[k - 1]?.text !== '::') {
      return { base: { var: t.text as 'context' }, path };
    }
    if (t.kind === 'string' && tokens[k - 1]?.text === '::') {
      return { base: { entityType: pathAround(tokens, k - 2).names.join('::') }, path };
    }
    if (t.kind === 'ident' && tokens[k - 1]?.text === '.') {
      path.unshift(t.text);
      k -= 2;
      continue;
    }
    return undefined;
  }
}
