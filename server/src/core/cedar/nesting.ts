import type { Token } from './lexer';

/*
 * cedar-wasm recurses on nesting with a small stack, and a stack overflow inside it corrupts the
 * wasm instance for the rest of the process (every later call fails). Measured with cedar-wasm
 * 4.13 under Node 20: about 128 nested brackets, 361 left-associative operators (`+`, `.a`,
 * `if`), 16,000 `&&`/`||` when parsing (fewer when validating: below), 530 nested schema records and 118 levels of JSON (schemas, entity
 * values) still pass. Input beyond these limits is reported and never handed to Cedar.
 *
 * Size is a limit too: Cedar's parser holds ~400 bytes per token of a broken statement, and its
 * Wasm memory never shrinks (a 1 MB line in a policy scope took a worker to 212 MB for the rest
 * of its life, and 0.6 s).
 */

/** Estimated recursion depth of a policy; brackets weigh about three operators (128 vs 361). */
export const POLICY_DEPTH_LIMIT = 300;
/**
 * `&&`/`||` operands of one statement. Cedar's parser takes 16,000 `true`s, but its validator
 * recurses once per operand: 2,000 comparisons (`context.input.amount == 1 && …`) overflowed it
 * and broke the instance for every later call; 1,500 of every operand form tried still pass.
 */
export const BOOLEAN_CHAIN_LIMIT = 1_000;
/** Tokens of one statement; far beyond the longest boolean chain allowed. */
export const POLICY_TOKEN_LIMIT = 50_000;
/**
 * Characters of one entity id (`Type::"…"`). For an id the schema does not know, Cedar's
 * validator looks for the closest name among all of the schema's: a 1 MB action id held a worker
 * 7.5 s (the CLI fuzzer's workspace took 11 s).
 */
export const ENTITY_ID_LIMIT = 4_096;
export const SCHEMA_DEPTH_LIMIT = 200;
/**
 * Tokens of one Cedar-syntax schema text (all of a schema's files are checked as one text).
 * Cedar spends 15–20 µs per token on a schema, twice for a broken one (its conversion, then its
 * check for messages): the bench's 1,000 tool actions are 56,000 tokens and about a second; a
 * 1 MB line of `ab, ab, …` held a worker for 20 s (CLI fuzzer, seed 413931079).
 */
export const SCHEMA_TOKEN_LIMIT = 150_000;
/**
 * Items of one list or record in a schema. Cedar's check grows with the square of a record's
 * attributes: 10,000 took 0.5 s, 40,000 took 3 s, 80,000 took 9 s.
 */
export const SCHEMA_ITEMS_LIMIT = 10_000;
export const JSON_DEPTH_LIMIT = 64;

const BRACKET_WEIGHT = 3;
const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);
/** Operators that nest the tree one level per use when chained. */
const CHAINING = new Set(['+', '-', '*', '.', '==', '!=', '<', '<=', '>', '>=', 'in', 'has', 'like', 'is', 'if']);

export interface DepthReport {
  depth: number;
  booleanOps: number;
  /** Tokens other than comments. */
  tokens: number;
  /** The token where the estimate first went over the limit. */
  at?: Token;
  /** Characters of the longest entity id (a string right after `::`). */
  longestId: number;
}

/**
 * An over-estimate of how deep Cedar recurses on a statement. Per bracket level it follows the
 * current operator chain: `&&`, `||` and `,` separate operands that Cedar handles flat, so a long
 * allowlist stays shallow; a closed group is one operand of the enclosing chain, as deep as its
 * contents. Brackets themselves weigh `BRACKET_WEIGHT`; unary `!`/`-` are flat in Cedar.
 */
export function policyDepth(tokens: Token[]): DepthReport {
  const levels: { cur: number; best: number }[] = [{ cur: 0, best: 0 }];
  let depth = 0;
  let booleanOps = 0;
  let at: Token | undefined;
  let chains = 0;
  let count = 0;
  let longestId = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'comment') continue;
    count++;
    const top = levels[levels.length - 1];
    if (t.kind === 'punct' && OPEN.has(t.text)) {
      levels.push({ cur: 0, best: 0 });
    } else if (t.kind === 'punct' && CLOSE.has(t.text)) {
      if (levels.length > 1) {
        const inner = levels.pop()!;
        chains -= inner.cur;
        const enclosing = levels[levels.length - 1];
        const add = Math.max(inner.best, inner.cur);
        enclosing.cur += add;
        chains += add;
      }
    } else if (t.text === '&&' || t.text === '||' || t.text === ',') {
      if (t.text !== ',') booleanOps++;
      top.best = Math.max(top.best, top.cur);
      chains -= top.cur;
      top.cur = 0;
    } else if (CHAINING.has(t.text) && (t.kind === 'punct' || t.kind === 'ident') && !isUnaryMinus(tokens, i)) {
      top.cur++;
      chains++;
    }
    const estimate = (levels.length - 1) * BRACKET_WEIGHT + chains;
    if (estimate > depth) depth = estimate;
    if (t.kind === 'string' && tokens[i - 1]?.text === '::' && t.text.length > longestId) longestId = t.text.length;
    if (
      !at &&
      (depth > POLICY_DEPTH_LIMIT ||
        booleanOps > BOOLEAN_CHAIN_LIMIT ||
        count > POLICY_TOKEN_LIMIT ||
        longestId > ENTITY_ID_LIMIT)
    )
      at = t;
  }
  return { depth, booleanOps, tokens: count, at, longestId };
}

function isUnaryMinus(tokens: Token[], i: number): boolean {
  if (tokens[i].text !== '-') return false;
  const prev = tokens[i - 1];
  return (
    !prev ||
    (prev.kind === 'punct' && !CLOSE.has(prev.text)) ||
    (prev.kind === 'ident' && ['if', 'then', 'else', 'when', 'unless', 'in', 'has', 'like', 'is'].includes(prev.text))
  );
}

export function policyTooDeep(r: DepthReport): boolean {
  return (
    r.depth > POLICY_DEPTH_LIMIT ||
    r.booleanOps > BOOLEAN_CHAIN_LIMIT ||
    r.tokens > POLICY_TOKEN_LIMIT ||
    r.longestId > ENTITY_ID_LIMIT
  );
}

/** Why a schema text is not handed to Cedar. */
export type SchemaLimit = 'depth' | 'tokens' | 'items';

/**
 * The first place where Cedar-syntax schema text passes a limit: bracket nesting (`{`, `[`, `(`,
 * `<`) beyond `SCHEMA_DEPTH_LIMIT`, more than `SCHEMA_TOKEN_LIMIT` tokens, or a list or record of
 * more than `SCHEMA_ITEMS_LIMIT` items (commas at one bracket level).
 */
export function schemaLimitAt(tokens: Token[]): { limit: SchemaLimit; at: Token } | undefined {
  const items: number[] = [1];
  let count = 0;
  for (const t of tokens) {
    if (t.kind === 'comment') continue;
    if (++count > SCHEMA_TOKEN_LIMIT) return { limit: 'tokens', at: t };
    if (t.kind !== 'punct') continue;
    if (OPEN.has(t.text) || t.text === '<') {
      items.push(1);
      if (items.length - 1 > SCHEMA_DEPTH_LIMIT) return { limit: 'depth', at: t };
    } else if ((CLOSE.has(t.text) || t.text === '>') && items.length > 1) items.pop();
    else if (t.text === ',' && ++items[items.length - 1] > SCHEMA_ITEMS_LIMIT) return { limit: 'items', at: t };
  }
  return undefined;
}

export { jsonDepth } from '../text/jsonDepth';
