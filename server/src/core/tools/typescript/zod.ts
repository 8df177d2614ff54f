import { Node, type CallExpression } from 'ts-morph';
import { mergeUnion } from '../jsonSchema';
import type { FieldType, InputField } from '../model';
import type { FileContext } from './context';
import { excerpt, firstProperties, objectProperty, propertyKey, staticString } from './literals';
import { resolveValue } from './scope';
import { isZodModule } from './sdkModules';
import { literalType, maskKeys, nativeEnumType, unknown } from './zodLiterals';

/** What a zod schema says about one input value. */
export interface ZodInfo {
  type: FieldType;
  /** `.optional()`, `.nullish()` or `.default(x)`: the caller may leave it out. */
  optional: boolean;
  description?: string;
}

/** Chains longer than this are generated code; treat them as unknown rather than recurse. */
const MAX_DEPTH = 48;

/** Fields read of one object schema: a real tool has a few dozen; a generated or broken file can have 100,000s. */
const MAX_FIELDS = 1000;

const STRING_FORMATS = new Set([
  'email',
  'url',
  'uuid',
  'guid',
  'cuid',
  'cuid2',
  'ulid',
  'nanoid',
  'ipv4',
  'ipv6',
  'cidrv4',
  'cidrv6',
  'base64',
  'base64url',
  'e164',
  'jwt',
  'emoji',
  'hostname',
  'httpUrl',
]);
const INTEGER_CTORS = new Set(['int', 'int32', 'uint32', 'int64', 'uint64', 'safeint', 'bigint']);
const OPAQUE_CTORS = new Set([
  'any',
  'unknown',
  'custom',
  'lazy',
  'instanceof',
  'never',
  'void',
  'undefined',
  'null',
  'function',
  'promise',
  'map',
  'set',
  'symbol',
  'nan',
  'file',
  'tuple',
]);

/**
 * Reads a zod schema expression statically: `z.object({...})`, chains like
 * `.describe().optional()`, schemas held in a `const` of the same file. Returns undefined when
 * the expression is not zod at all (so callers can try JSON Schema or report it).
 */
export function readZod(expr: Node, ctx: FileContext, depth = 0): ZodInfo | undefined {
  if (depth > MAX_DEPTH) return { type: { kind: 'unknown', reason: 'schema nested too deeply' }, optional: false };
  const e = resolveValue(expr);
  if (!Node.isCallExpression(e)) return undefined;
  const callee = resolveValue(e.getExpression());
  if (Node.isPropertyAccessExpression(callee)) {
    const base = callee.getExpression();
    const method = callee.getName();
    if (isZodRoot(base, ctx)) return construct(method, e, ctx, depth);
    // `z.coerce.number()` reads like `z.number()`.
    if (Node.isPropertyAccessExpression(base) && base.getName() === 'coerce' && isZodRoot(base.getExpression(), ctx))
      return construct(method, e, ctx, depth);
    const inner = readZod(base, ctx, depth + 1);
    return inner && applyMethod(inner, method, e, ctx, depth);
  }
  // `import { string, object } from 'zod'`.
  const imported = ctx.imports.resolve(callee);
  if (imported && isZodModule(imported.module) && imported.name !== '*' && imported.name !== 'z' && imported.name !== 'default') {
    return construct(imported.name, e, ctx, depth);
  }
  return undefined;
}

/** `z`, `import * as z from 'zod'` or zod's default export. */
function isZodRoot(node: Node, ctx: FileContext): boolean {
  const imported = ctx.imports.resolve(node);
  return (
    !!imported && isZodModule(imported.module) && (imported.name === 'z' || imported.name === '*' || imported.name === 'default')
  );
}

function construct(name: string, call: CallExpression, ctx: FileContext, depth: number): ZodInfo {
  const args = call.getArguments();
  const plain = (type: FieldType): ZodInfo => ({ type, optional: false });
  if (name === 'string') return plain({ kind: 'string' });
  if (STRING_FORMATS.has(name)) return plain({ kind: 'string', format: name });
  if (name === 'date' || name === 'iso') return plain({ kind: 'string', format: 'date-time' });
  if (name === 'number') return plain({ kind: 'number' });
  if (INTEGER_CTORS.has(name)) return plain({ kind: 'number', integer: true });
  if (name === 'boolean') return plain({ kind: 'boolean' });
  if (name === 'literal' || name === 'enum') return plain(literalType(args[0], name));
  if (name === 'nativeEnum') return plain(nativeEnumType(args[0]));
  if (name === 'object' || name === 'strictObject' || name === 'looseObject') {
    const fields = args[0] ? readShape(args[0], ctx, depth + 1) : [];
    return plain({ kind: 'object', fields, additional: name === 'looseObject' });
  }
  if (name === 'array')
    return plain({ kind: 'array', items: args[0] ? fieldTypeOf(args[0], ctx, depth + 1) : unknown('z.array() without items') });
  if (name === 'record') return plain({ kind: 'object', fields: [], additional: true });
  if (name === 'union' || name === 'discriminatedUnion') {
    const list = resolveValue(args[name === 'union' ? 0 : 1] ?? call);
    if (!Node.isArrayLiteralExpression(list)) return plain(unknown(`z.${name}() of a list not visible here`));
    return plain(mergeUnion(list.getElements().map((el) => fieldTypeOf(el, ctx, depth + 1))));
  }
  if (name === 'optional' || name === 'nullish') return { ...innerOf(args[0], ctx, depth), optional: true };
  if (name === 'nullable' || name === 'readonly') return innerOf(args[0], ctx, depth);
  // `z.preprocess(fn, schema)`: the input is whatever the schema accepts after the function.
  if (name === 'preprocess') return innerOf(args[1], ctx, depth);
  if (OPAQUE_CTORS.has(name)) return plain(unknown(`z.${name}()`));
  return plain(unknown(`z.${name}()`));
}

function applyMethod(inner: ZodInfo, method: string, call: CallExpression, ctx: FileContext, depth: number): ZodInfo {
  const args = call.getArguments();
  const t = inner.type;
  switch (method) {
    case 'optional':
    case 'nullish':
    case 'default':
    case 'prefault':
    case 'catch':
      return { ...inner, optional: true };
    case 'describe': {
      const d = args[0] && staticString(args[0]);
      return d === undefined ? inner : { ...inner, description: d };
    }
    case 'meta': {
      const d = args[0] && objectProperty(args[0], 'description');
      const s = d && staticString(d);
      return s === undefined ? inner : { ...inner, description: s };
    }
    case 'int':
      return t.kind === 'number' ? { ...inner, type: { kind: 'number', integer: true } } : inner;
    case 'array':
      return { type: { kind: 'array', items: t }, optional: false };
    case 'element':
      return t.kind === 'array' ? { type: t.items, optional: false } : inner;
    case 'or':
      return { ...inner, type: mergeUnion([t, args[0] ? fieldTypeOf(args[0], ctx, depth + 1) : unknown('or()')]) };
    case 'and':
    case 'merge':
    case 'extend':
    case 'safeExtend':
      return { ...inner, type: extend(t, args[0], method, ctx, depth) };
    case 'partial':
    case 'required':
      return { ...inner, type: mapFields(t, (f) => ({ ...f, required: method === 'required' })) };
    case 'pick':
    case 'omit': {
      const keys = maskKeys(args[0]);
      if (!keys || t.kind !== 'object')
        return { ...inner, type: t.kind === 'object' ? { ...t, fields: [], additional: true } : t };
      return { ...inner, type: { ...t, fields: t.fields.filter((f) => keys.has(f.name) === (method === 'pick')) } };
    }
    case 'keyof':
      return {
        type: t.kind === 'object' ? { kind: 'string', enum: t.fields.map((f) => f.name) } : { kind: 'string' },
        optional: false,
      };
    case 'strict':
    case 'strip':
      return t.kind === 'object' ? { ...inner, type: { ...t, additional: false } } : inner;
    case 'passthrough':
    case 'loose':
    case 'catchall':
      return t.kind === 'object' ? { ...inner, type: { ...t, additional: true } } : inner;
    default:
      // Refinements, transforms and checks (`min`, `regex`, `refine`, `transform`, …) keep the input type.
      return inner;
  }
}

/**
 * Fields of a zod raw shape `{ a: z.string(), ...other.shape }`. Values that are not zod
 * (or not visible in this file) become `unknown` fields with the reason.
 */
export function readShape(shape: Node, ctx: FileContext, depth = 0): InputField[] {
  const obj = resolveValue(shape);
  if (!Node.isObjectLiteralExpression(obj)) return [];
  // By name, in order: a later property of the same name replaces the earlier one and moves last.
  const fields = new Map<string, InputField>();
  const put = (f: InputField): void => {
    fields.delete(f.name);
    fields.set(f.name, f);
  };
  const { properties, count } = firstProperties(obj, MAX_FIELDS + 1);
  if (count > MAX_FIELDS) {
    ctx.problem(
      properties[MAX_FIELDS],
      `This input schema has ${count.toLocaleString('en-US')} fields; only the first ${MAX_FIELDS} are read.`,
      'tool-invalid',
    );
  }
  for (const p of properties.slice(0, MAX_FIELDS)) {
    if (Node.isSpreadAssignment(p)) {
      for (const f of spreadFields(p.getExpression(), ctx, depth + 1)) put(f);
      continue;
    }
    if (!(Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p))) continue;
    const name = propertyKey(p.getNameNode());
    if (name === undefined) continue;
    const valueNode = Node.isPropertyAssignment(p) ? p.getInitializer() : p.getNameNode();
    if (!valueNode) continue;
    const info = readZod(valueNode, ctx, depth + 1) ?? { type: notVisible(valueNode, ctx), optional: false };
    put({
      name,
      type: info.type,
      required: !info.optional,
      ...(info.description !== undefined ? { description: info.description } : {}),
      range: ctx.range(p.getNameNode()),
    });
  }
  return [...fields.values()];
}

/** `...base.shape` or `...rawShape` inside a shape. */
function spreadFields(expr: Node, ctx: FileContext, depth: number): InputField[] {
  const e = resolveValue(expr);
  if (Node.isPropertyAccessExpression(e) && e.getName() === 'shape') {
    const t = readZod(e.getExpression(), ctx, depth)?.type;
    return t?.kind === 'object' ? t.fields : [];
  }
  return readShape(e, ctx, depth);
}

/** True when an object literal looks like a zod raw shape: at least one value is zod. */
export function isRawShape(obj: Node, ctx: FileContext): boolean {
  const o = resolveValue(obj);
  if (!Node.isObjectLiteralExpression(o)) return false;
  // As many as `readShape` reads.
  return firstProperties(o, MAX_FIELDS).properties.some((p) => {
    if (Node.isPropertyAssignment(p)) return readZod(p.getInitializerOrThrow(), ctx) !== undefined;
    if (Node.isShorthandPropertyAssignment(p)) return readZod(p.getNameNode(), ctx) !== undefined;
    return Node.isSpreadAssignment(p);
  });
}

/** The type of any schema-valued expression: zod, or `unknown` with why it is not visible. */
export function fieldTypeOf(expr: Node, ctx: FileContext, depth: number): FieldType {
  return readZod(expr, ctx, depth)?.type ?? notVisible(expr, ctx);
}

function innerOf(expr: Node | undefined, ctx: FileContext, depth: number): ZodInfo {
  if (!expr) return { type: unknown('missing schema'), optional: false };
  return readZod(expr, ctx, depth + 1) ?? { type: notVisible(expr, ctx), optional: false };
}

/** Why a schema expression cannot be read: where it comes from, if we know. */
export function notVisible(expr: Node, ctx: FileContext): FieldType {
  const e = resolveValue(expr);
  const root = Node.isPropertyAccessExpression(e) || Node.isCallExpression(e) ? leftmostIdentifier(e) : e;
  const module = root && Node.isIdentifier(root) ? ctx.imports.moduleOf(root.getText()) : undefined;
  if (module) return unknown(`\`${excerpt(e)}\` comes from '${module}', another file`);
  return unknown(`\`${excerpt(e)}\` is not a schema visible in this file`);
}

function leftmostIdentifier(e: Node): Node | undefined {
  let n: Node = e;
  while (Node.isPropertyAccessExpression(n) || Node.isCallExpression(n)) n = n.getExpression();
  return n;
}

function extend(t: FieldType, arg: Node | undefined, method: string, ctx: FileContext, depth: number): FieldType {
  if (t.kind !== 'object' || !arg) return t.kind === 'object' ? t : unknown(`.${method}() of a non-object`);
  const extra =
    method === 'extend' || method === 'safeExtend'
      ? readShape(arg, ctx, depth + 1)
      : objectFields(fieldTypeOf(arg, ctx, depth + 1));
  if (!extra) return { ...t, additional: true };
  const names = new Set(extra.map((f) => f.name));
  return { ...t, fields: [...t.fields.filter((f) => !names.has(f.name)), ...extra] };
}

function objectFields(t: FieldType): InputField[] | undefined {
  return t.kind === 'object' ? t.fields : undefined;
}

function mapFields(t: FieldType, fn: (f: InputField) => InputField): FieldType {
  return t.kind === 'object' ? { ...t, fields: t.fields.map(fn) } : t;
}
