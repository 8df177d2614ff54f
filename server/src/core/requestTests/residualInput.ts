import { opOf, residualCondition } from '../cedar/residual';

/** Where a value goes in a generated request: a path into `context.input`, or the resource. */
export type Assignment = { input: string[]; value: unknown } | { resource: { type: string; id: string } };

type Node = Record<string, unknown>;
type Binary = { left: unknown; right: unknown };

const MAX_DEPTH = 200;
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

/** `context.input.a.b` (partial evaluation writes the input as `unknown("input")`): `['a', 'b']`; undefined for anything else. */
function inputPath(e: unknown, depth = 0): string[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const op = opOf(e);
  const body = op ? (e as Node)[op] : undefined;
  if (op === 'unknown') return (body as { Value?: unknown }[])[0]?.Value === 'input' ? [] : undefined;
  if (op !== '.') return undefined;
  const { left, attr } = body as { left: unknown; attr: string };
  // `context.input` itself, when the context is a record with the input in it.
  const l = opOf(left);
  if (l === 'Var' && (left as Node).Var === 'context' && attr === 'input') return [];
  const base = inputPath(left, depth + 1);
  return base && [...base, attr];
}

const isUnknownResource = (e: unknown) =>
  opOf(e) === 'unknown' && ((e as Node).unknown as { Value?: unknown }[])[0]?.Value === 'resource';

/** A literal of the condition: only values a test file can write exactly (no rounded 64-bit numbers). */
function literal(e: unknown): { value: unknown } | undefined {
  if (opOf(e) !== 'Value') return undefined;
  const value = (e as Node).Value;
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return undefined;
  return { value };
}

/** A number `op` the literal `n` holds for: `<= 500` → 500, `< 500` → 499, `> 500` → 501. */
function numberFor(op: string, n: number): number | undefined {
  const v = op === '<' ? n - 1 : op === '>' ? n + 1 : n;
  return Number.isSafeInteger(v) ? v : undefined;
}

/** A string a `like` pattern matches: its literal text, a wildcard read as `1` (`"INV-*"` → `"INV-1"`). */
function likeText(pattern: unknown[]): string | undefined {
  let out = '';
  for (const p of pattern) {
    if (p === 'Wildcard') out += '1';
    else if (typeof (p as { Literal?: unknown }).Literal === 'string') out += (p as { Literal: string }).Literal;
    else return undefined;
  }
  return out;
}

function uidOf(v: unknown): { type: string; id: string } | undefined {
  const u = (v as { __entity?: { type?: unknown; id?: unknown } } | null)?.__entity;
  return typeof u?.type === 'string' && typeof u.id === 'string' ? { type: u.type, id: u.id } : undefined;
}

function walk(e: unknown, out: Assignment[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  const op = opOf(e);
  if (!op) return;
  const body = (e as Node)[op];
  if (op === '&&') {
    const { left, right } = body as Binary;
    walk(left, out, depth + 1);
    walk(right, out, depth + 1);
    return;
  }
  // Either side holds: the first one is enough.
  if (op === '||') return walk((body as Binary).left, out, depth + 1);
  if (op === 'like') {
    const { left, pattern } = body as { left: unknown; pattern: unknown[] };
    const path = inputPath(left);
    const text = likeText(pattern);
    if (path?.length && text !== undefined) out.push({ input: path, value: text });
    return;
  }
  if (op === 'contains') {
    const { left, right } = body as Binary;
    // `["a", "b"].contains(context.input.x)`: x is one of them.
    const set = opOf(left) === 'Set' ? ((left as Node).Set as unknown[]) : undefined;
    const path = inputPath(right);
    const first = set?.length ? literal(set[0]) : undefined;
    if (path?.length && first) out.push({ input: path, value: first.value });
    // `context.input.tags.contains("x")`: the set holds it.
    const setPath = inputPath(left);
    const item = literal(right);
    if (setPath?.length && item) out.push({ input: setPath, value: [item.value] });
    return;
  }
  if (!(op in FLIP)) return;
  let { left, right } = body as Binary;
  let relation = op;
  if (literal(left) || isUnknownResource(right)) {
    [left, right] = [right, left];
    relation = FLIP[op];
  }
  const lit = literal(right);
  if (!lit) return;
  if (relation === '==' && isUnknownResource(left)) {
    const uid = uidOf(lit.value);
    if (uid) out.push({ resource: uid });
    return;
  }
  const path = inputPath(left);
  if (!path?.length) return;
  if (relation === '==') out.push({ input: path, value: lit.value });
  else if (typeof lit.value === 'number') {
    const v = numberFor(relation, lit.value);
    if (v !== undefined) out.push({ input: path, value: v });
  }
}

/**
 * Values that make a residual policy's condition hold, read from its plain parts: comparisons of
 * the input's fields with literals (`==`, `<`, `<=`, `>`, `>=`), `like` patterns, `contains` on
 * literal sets, and `resource == Type::"id"`, in conjunctions (the first side of a disjunction).
 * A starting point, not a proof: the generator runs the request and expects what Cedar answers,
 * so a condition read wrong only makes a different (still true) test.
 */
export function valuesSatisfying(residualPolicy: unknown): Assignment[] {
  const out: Assignment[] = [];
  walk(residualCondition(residualPolicy), out, 0);
  return out;
}

/** `input` with each assignment set at its path (objects made on the way; other fields kept). */
export function withInput(input: Record<string, unknown>, assignments: Assignment[]): Record<string, unknown> {
  const root: Record<string, unknown> = structuredClone(input);
  for (const a of assignments) {
    if (!('input' in a)) continue;
    let at = root;
    for (const key of a.input.slice(0, -1)) {
      const next = at[key];
      at = at[key] = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    }
    at[a.input[a.input.length - 1]] = a.value;
  }
  return root;
}
