import { Node } from 'ts-morph';
import type { FieldType } from '../model';
import { excerpt, propertyKey, staticString } from './literals';
import { resolveValue } from './scope';

/** Literal values inside zod schemas: enums, literals, native enums and `.pick()` masks. */

/** `{ a: true, b: true }` of `.pick()`/`.omit()`. */
export function maskKeys(arg: Node | undefined): Set<string> | undefined {
  const o = arg && resolveValue(arg);
  if (!o || !Node.isObjectLiteralExpression(o)) return undefined;
  const keys = new Set<string>();
  for (const p of o.getProperties()) {
    if (Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p)) {
      const k = propertyKey(p.getNameNode());
      if (k !== undefined) keys.add(k);
    }
  }
  return keys;
}

/** `z.literal('a')`, `z.enum(['a', 'b'])`, `z.enum(['a', 'b'] as const)`, `z.enum(LIST)`. */
export function literalType(arg: Node | undefined, ctor: string): FieldType {
  if (!arg) return unknown(`z.${ctor}() without values`);
  const v = resolveValue(arg);
  const values = Node.isArrayLiteralExpression(v) ? v.getElements() : [v];
  const strings = values.map((el) => staticString(el));
  if (strings.every((s) => s !== undefined)) return { kind: 'string', enum: strings as string[] };
  if (values.every((el) => Node.isNumericLiteral(resolveValue(el)))) return { kind: 'number' };
  if (values.every((el) => Node.isTrueLiteral(resolveValue(el)) || Node.isFalseLiteral(resolveValue(el))))
    return { kind: 'boolean' };
  return unknown(`z.${ctor}(${excerpt(arg)})`);
}

/** `z.nativeEnum(Color)` with `enum Color { Red = 'red' }` in the same file. */
export function nativeEnumType(arg: Node | undefined): FieldType {
  const e = arg && resolveValue(arg);
  if (!e || !Node.isIdentifier(e)) return unknown('z.nativeEnum()');
  const decl = e.getSourceFile().getEnum(e.getText());
  if (!decl) return unknown(`z.nativeEnum(${e.getText()})`);
  const values = decl.getMembers().map((m) => {
    const init = m.getInitializer();
    return init ? staticString(init) : undefined;
  });
  if (values.every((s) => s !== undefined)) return { kind: 'string', enum: values as string[] };
  return { kind: 'number' };
}

/** An unknown type with the reason it is unknown. */
export function unknown(reason: string): FieldType {
  return { kind: 'unknown', reason };
}
