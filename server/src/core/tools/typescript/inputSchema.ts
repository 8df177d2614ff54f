import { Node } from 'ts-morph';
import { inputShapeFromJsonSchema, shapeFromType } from '../jsonSchema';
import type { InputShape } from '../model';
import type { FileContext } from './context';
import { locatedFromTs } from './locatedFromTs';
import { objectProperty } from './literals';
import { resolveValue } from './scope';
import { isVercelAiModule } from './sdkModules';
import { isRawShape, notVisible, readShape, readZod } from './zod';

/**
 * The input shape of a tool from its schema expression, whichever form it takes: a zod
 * schema, a zod raw shape (`{ a: z.string() }`, as the MCP SDK takes), a JSON-Schema literal
 * or `jsonSchema({...})` of the AI SDK. What cannot be read gets `unknownReason`.
 */
export function inputFromSchema(expr: Node, ctx: FileContext): InputShape {
  const e = resolveValue(expr);
  const zod = readZod(e, ctx);
  if (zod) return shapeFromType(zod.type);

  if (Node.isCallExpression(e)) {
    const callee = ctx.imports.resolve(e.getExpression());
    const arg = e.getArguments()[0];
    if (callee && isVercelAiModule(callee.module) && callee.name === 'jsonSchema' && arg) return fromJsonSchemaLiteral(arg, ctx);
    if (callee?.name === 'zodToJsonSchema' || callee?.name === 'toJSONSchema') {
      return arg ? inputFromSchema(arg, ctx) : shapeFromType(notVisible(e, ctx));
    }
  }
  if (Node.isObjectLiteralExpression(e)) {
    if (looksLikeJsonSchema(e)) return fromJsonSchemaLiteral(e, ctx);
    // `{}` is an empty raw shape in the MCP SDK: a tool without arguments.
    if (e.compilerNode.properties.length === 0 || isRawShape(e, ctx))
      return { kind: 'object', fields: readShape(e, ctx), additional: false };
  }
  return shapeFromType(notVisible(e, ctx));
}

/** `type: 'object'` or `properties: {…}` as literals; a raw shape has zod calls there instead. */
function looksLikeJsonSchema(obj: Node): boolean {
  const type = objectProperty(obj, 'type');
  const props = objectProperty(obj, 'properties');
  return (!!type && Node.isStringLiteral(resolveValue(type))) || (!!props && Node.isObjectLiteralExpression(resolveValue(props)));
}

function fromJsonSchemaLiteral(expr: Node, ctx: FileContext): InputShape {
  return inputShapeFromJsonSchema(locatedFromTs(expr, ctx));
}
