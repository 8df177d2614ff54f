import type { PartialDecision } from './gateway';

/**
 * Cedar's residual policies (partial evaluation, JSON form) come back unsimplified: `true && (true
 * && x)`, `x && false`, `if c then x else false`. This reads them: their simplified conditions,
 * and which residuals can never hold or always hold, so a decision is not left "depending" on a
 * condition that is `false` whatever the input.
 */
export type Expr = Record<string, unknown>;

const TRUE: Expr = { Value: true };
const FALSE: Expr = { Value: false };

/** A literal boolean expression's value; undefined for anything else. */
export function literalBool(e: unknown): boolean | undefined {
  const v = (e as Expr | undefined)?.Value;
  return typeof v === 'boolean' && Object.keys(e as Expr).length === 1 ? v : undefined;
}

const isRecord = (v: unknown): v is Expr => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The one key of an expression node (`&&`, `.`, `Value`, …), or undefined when it is not one. */
export function opOf(e: unknown): string | undefined {
  if (!isRecord(e)) return undefined;
  const keys = Object.keys(e);
  return keys.length === 1 ? keys[0] : undefined;
}

interface Binary {
  left: Expr;
  right: Expr;
}

/**
 * Rewrites that keep an expression's value for every input, errors included: `true && x` is `x`,
 * `false && x` is `false`, `x && true` is `x` (both sides must be booleans either way), `x ||
 * false` is `x`, `!true` is `false`, `if true then a else b` is `a`, `if c then x else false` is
 * `c && x`; and Cedar's own desugaring undone (`!(a <= b)` is how Cedar writes `a > b`).
 */
export function simplify(e: unknown, depth = 0): Expr {
  if (!isRecord(e) || depth > 400) return e as Expr;
  const op = opOf(e);
  const body = op ? e[op] : undefined;
  const next = (x: unknown) => simplify(x, depth + 1);
  switch (op) {
    case '&&':
    case '||': {
      const { left, right } = body as Binary;
      const l = next(left);
      const r = next(right);
      const lb = literalBool(l);
      const rb = literalBool(r);
      if (op === '&&') {
        if (lb === true) return r;
        if (lb === false) return FALSE;
        if (rb === true) return l;
      } else {
        if (lb === true) return TRUE;
        if (lb === false) return r;
        if (rb === false) return l;
      }
      return { [op]: { left: l, right: r } };
    }
    case '!': {
      const arg = next((body as { arg: unknown }).arg);
      const b = literalBool(arg);
      if (b !== undefined) return { Value: !b };
      const inner = opOf(arg);
      const negated: Record<string, string> = { '<=': '>', '<': '>=', '>=': '<', '>': '<=', '==': '!=', '!=': '==' };
      if (inner && negated[inner]) return { [negated[inner]]: arg[inner] };
      return { '!': { arg } };
    }
    case 'if-then-else': {
      const { if: c, then: t, else: f } = body as { if: unknown; then: unknown; else: unknown };
      const ci = next(c);
      const th = next(t);
      const el = next(f);
      const cb = literalBool(ci);
      if (cb === true) return th;
      if (cb === false) return el;
      // `if c then x else false` is `c && x`, and `if c then true else x` is `c || x`, exactly.
      if (literalBool(el) === false) return simplify({ '&&': { left: ci, right: th } }, depth + 1);
      if (literalBool(th) === true) return simplify({ '||': { left: ci, right: el } }, depth + 1);
      return { 'if-then-else': { if: ci, then: th, else: el } };
    }
    default:
      return e;
  }
}

/** Never evaluates to `true` (it is `false` or an error for every input): a policy with it never holds. */
export function neverTrue(e: Expr): boolean {
  const b = literalBool(e);
  if (b !== undefined) return !b;
  const op = opOf(e);
  if (op === '&&') {
    const { left, right } = e[op] as Binary;
    return neverTrue(left) || neverTrue(right);
  }
  if (op === '||') {
    const { left, right } = e[op] as Binary;
    return neverTrue(left) && neverTrue(right);
  }
  return false;
}

/**
 * `true` for every input the condition can be evaluated on without an error: `x || true`, where
 * only an error in `x` (an attribute the input lacks) keeps it from holding. Only ever used to
 * say a permit allows: an error there denies, so this can over-state access, never hide it.
 */
export function trueUnlessError(e: Expr): boolean {
  const b = literalBool(e);
  if (b !== undefined) return b;
  const op = opOf(e);
  if (op === '&&') {
    const { left, right } = e[op] as Binary;
    return trueUnlessError(left) && trueUnlessError(right);
  }
  if (op === '||') {
    const { left, right } = e[op] as Binary;
    return trueUnlessError(left) || trueUnlessError(right);
  }
  return false;
}

interface ResidualPolicy {
  effect?: string;
  conditions?: { kind?: string; body?: unknown }[];
}

/** A residual policy's conditions as one simplified expression (`when` bodies and negated `unless` bodies). */
export function residualCondition(policy: unknown): Expr {
  const conditions = (policy as ResidualPolicy | undefined)?.conditions ?? [];
  const parts = conditions.map((c) => (c.kind === 'unless' ? { '!': { arg: c.body } } : c.body) as Expr);
  if (!parts.length) return TRUE;
  return simplify(parts.reduce((all, part) => ({ '&&': { left: all, right: part } })));
}

/** The residual policy with its conditions replaced by one simplified `when`. */
function simplified(policy: unknown, condition: Expr): unknown {
  return { ...(policy as object), conditions: [{ kind: 'when', body: condition }] };
}

/**
 * A partial answer that depends on the unknowns, decided further by what its residuals say once
 * simplified: a residual that never holds is dropped (`forbid … when { x > 500 } unless
 * { approval }` with an approval granted); a forbid that always holds denies; a permit that holds
 * for every input it can be evaluated on allows. The residuals kept are the simplified ones.
 */
export function refinePartial(answer: PartialDecision): PartialDecision {
  if (answer.decision) return answer;
  // Undecided means no forbid is satisfied (one would deny): every satisfied policy is a permit.
  const permitsHeld = [...answer.satisfied];
  const forbidsHeld: string[] = [];
  const forbidsMaybe: string[] = [];
  const permitsMaybe: string[] = [];
  const kept: Record<string, unknown> = {};
  for (const id of answer.nontrivialResiduals) {
    const policy = answer.residuals[id];
    const condition = residualCondition(policy);
    const forbid = (policy as ResidualPolicy | undefined)?.effect === 'forbid';
    if (neverTrue(condition)) continue;
    if (forbid ? literalBool(condition) === true : trueUnlessError(condition)) {
      (forbid ? forbidsHeld : permitsHeld).push(id);
      continue;
    }
    (forbid ? forbidsMaybe : permitsMaybe).push(id);
    kept[id] = simplified(policy, condition);
  }
  const answerWith = (decision: 'allow' | 'deny' | undefined, determining: string[], residualIds: string[]): PartialDecision => ({
    ...answer,
    decision,
    mayBeDetermining: decision ? determining : [...residualIds, ...permitsHeld],
    mustBeDetermining: determining,
    residuals: Object.fromEntries(residualIds.map((id) => [id, kept[id]])),
    nontrivialResiduals: residualIds,
  });
  if (forbidsHeld.length) return answerWith('deny', forbidsHeld, []);
  if (permitsHeld.length)
    return forbidsMaybe.length ? answerWith(undefined, [], forbidsMaybe) : answerWith('allow', permitsHeld, []);
  if (permitsMaybe.length) return answerWith(undefined, [], [...permitsMaybe, ...forbidsMaybe]);
  return answerWith('deny', [], []);
}
