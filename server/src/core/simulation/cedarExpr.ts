import { opOf } from '../cedar/residual';
import { cedarString, uidText } from './uid';

/**
 * Cedar text of an expression in Cedar's JSON form (a residual's condition), with only the
 * parentheses Cedar's precedence needs, and the tool's input named as a policy names it:
 * partial evaluation writes the unknown input as `unknown("input")`, a reader expects
 * `context.input`. Throws on a node it does not know (the caller falls back on Cedar's printer).
 */
export function exprText(e: unknown, exactNumber: (n: number) => string | undefined = () => undefined): string {
  return print(e, 0, exactNumber).text;
}

/**
 * Cedar hands residuals to JavaScript as numbers: a 64-bit literal beyond 2^53 comes back rounded
 * (9007199254740993 as …992). `exactNumber` finds the literal as the policy wrote it.
 */
type ExactNumber = (n: number) => string | undefined;

/** Binding strength, loosest first: `if` < `||` < `&&` < relations < `+ -` < `*` < unary < member < primary. */
const Level = {
  If: 0,
  Or: 1,
  And: 2,
  Relation: 3,
  Add: 4,
  Mul: 5,
  Unary: 6,
  Member: 7,
  Primary: 8,
} as const;
type Level = number;

interface Printed {
  text: string;
  level: Level;
}

const RELATIONS = new Set(['==', '!=', '<', '<=', '>', '>=', 'in']);
const METHODS = new Set(['contains', 'containsAll', 'containsAny', 'getTag', 'hasTag']);
/** Extension functions called as functions; every other one is a method of its first argument. */
const CONSTRUCTORS = new Set(['ip', 'decimal', 'datetime', 'duration']);
/** The unknowns partial evaluation names after request variables or the input. */
const UNKNOWN_NAMES: Record<string, string> = {
  input: 'context.input',
  principal: 'principal',
  action: 'action',
  resource: 'resource',
  context: 'context',
};
const MAX_DEPTH = 400;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

class UnknownNode extends Error {}

function at(p: Printed, min: Level): string {
  return p.level >= min ? p.text : `(${p.text})`;
}

function print(e: unknown, depth: number, exact: ExactNumber): Printed {
  if (depth > MAX_DEPTH) throw new UnknownNode('too deep');
  const op = opOf(e);
  if (!op) throw new UnknownNode('not an expression');
  const body = (e as Record<string, unknown>)[op];
  const sub = (x: unknown) => print(x, depth + 1, exact);
  const bin = () => body as { left: unknown; right: unknown };
  switch (op) {
    case 'Value':
      return { text: valueText(body, depth, exact), level: typeof body === 'number' && body < 0 ? Level.Unary : Level.Primary };
    case 'Var':
      return { text: String(body), level: Level.Primary };
    case 'Slot':
      return { text: String(body), level: Level.Primary };
    case 'unknown': {
      const name = (body as { Value?: unknown }[])[0]?.Value;
      const known = typeof name === 'string' ? UNKNOWN_NAMES[name] : undefined;
      return known
        ? { text: known, level: known.includes('.') ? Level.Member : Level.Primary }
        : { text: `unknown(${cedarString(String(name))})`, level: Level.Primary };
    }
    case '!':
    case 'neg': {
      const arg = sub((body as { arg: unknown }).arg);
      return { text: `${op === '!' ? '!' : '-'}${at(arg, Level.Unary)}`, level: Level.Unary };
    }
    case '&&':
    case '||': {
      const level = op === '&&' ? Level.And : Level.Or;
      const { left, right } = bin();
      // Both are associative: `a && (b && c)` reads as `a && b && c`.
      return { text: `${at(sub(left), level)} ${op} ${at(sub(right), level)}`, level };
    }
    case '+':
    case '-':
    case '*': {
      const level = op === '*' ? Level.Mul : Level.Add;
      const { left, right } = bin();
      return { text: `${at(sub(left), level)} ${op} ${at(sub(right), level + 1)}`, level };
    }
    case 'isEmpty':
      return { text: `${at(sub((body as { arg: unknown }).arg), Level.Member)}.isEmpty()`, level: Level.Member };
    case '.': {
      const { left, attr } = body as { left: unknown; attr: string };
      const target = at(sub(left), Level.Member);
      return { text: IDENT.test(attr) ? `${target}.${attr}` : `${target}[${cedarString(attr)}]`, level: Level.Member };
    }
    case 'has': {
      const { left, attr } = body as { left: unknown; attr: string };
      return {
        text: `${at(sub(left), Level.Add)} has ${IDENT.test(attr) ? attr : cedarString(attr)}`,
        level: Level.Relation,
      };
    }
    case 'like': {
      const { left, pattern } = body as { left: unknown; pattern: unknown[] };
      return { text: `${at(sub(left), Level.Add)} like ${patternText(pattern)}`, level: Level.Relation };
    }
    case 'is': {
      const { left, entity_type, in: inside } = body as { left: unknown; entity_type: string; in?: unknown };
      const tail = inside === undefined ? '' : ` in ${at(sub(inside), Level.Add)}`;
      return { text: `${at(sub(left), Level.Add)} is ${entity_type}${tail}`, level: Level.Relation };
    }
    case 'if-then-else': {
      const { if: c, then: t, else: f } = body as { if: unknown; then: unknown; else: unknown };
      return { text: `if ${sub(c).text} then ${sub(t).text} else ${sub(f).text}`, level: Level.If };
    }
    case 'Set':
      return { text: `[${(body as unknown[]).map((x) => sub(x).text).join(', ')}]`, level: Level.Primary };
    case 'Record':
      return {
        text: `{${Object.entries(body as Record<string, unknown>)
          .map(([k, v]) => `${IDENT.test(k) ? k : cedarString(k)}: ${sub(v).text}`)
          .join(', ')}}`,
        level: Level.Primary,
      };
    default: {
      if (RELATIONS.has(op)) {
        const { left, right } = bin();
        return { text: `${at(sub(left), Level.Add)} ${op} ${at(sub(right), Level.Add)}`, level: Level.Relation };
      }
      if (METHODS.has(op)) {
        const { left, right } = bin();
        return { text: `${at(sub(left), Level.Member)}.${op}(${sub(right).text})`, level: Level.Member };
      }
      if (Array.isArray(body) && IDENT.test(op)) {
        const args = body.map((x) => sub(x));
        if (CONSTRUCTORS.has(op) || !args.length)
          return { text: `${op}(${args.map((a) => a.text).join(', ')})`, level: Level.Primary };
        const [self, ...rest] = args;
        return { text: `${at(self, Level.Member)}.${op}(${rest.map((a) => a.text).join(', ')})`, level: Level.Member };
      }
      throw new UnknownNode(`unknown node ${op}`);
    }
  }
}

/** A literal value of Cedar's JSON format: strings, numbers, booleans, sets, records, `__entity`, `__extn`. */
function valueText(v: unknown, depth: number, exact: ExactNumber): string {
  if (depth > MAX_DEPTH) throw new UnknownNode('too deep');
  if (typeof v === 'string') return cedarString(v);
  if (typeof v === 'number') return (!Number.isSafeInteger(v) && exact(v)) || String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => valueText(x, depth + 1, exact)).join(', ')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const entity = (o.__entity ?? (Object.keys(o).length === 2 && 'type' in o && 'id' in o ? o : undefined)) as
      { type?: unknown; id?: unknown } | undefined;
    if (entity && typeof entity.type === 'string' && typeof entity.id === 'string')
      return uidText({ type: entity.type, id: entity.id });
    const extn = o.__extn as { fn?: unknown; arg?: unknown } | undefined;
    if (extn && typeof extn.fn === 'string') return `${extn.fn}(${valueText(extn.arg, depth + 1, exact)})`;
    return `{${Object.entries(o)
      .map(([k, x]) => `${IDENT.test(k) ? k : cedarString(k)}: ${valueText(x, depth + 1, exact)}`)
      .join(', ')}}`;
  }
  throw new UnknownNode('unknown value');
}

/** A `like` pattern: literal text with `*` escaped, wildcards as `*`. */
function patternText(pattern: unknown[]): string {
  const parts = pattern.map((p) => {
    if (p === 'Wildcard') return '*';
    const literal = (p as { Literal?: unknown }).Literal;
    if (typeof literal !== 'string') throw new UnknownNode('unknown pattern part');
    return cedarString(literal).slice(1, -1).replace(/\*/g, '\\*');
  });
  return `"${parts.join('')}"`;
}
