import { Node, type CallExpression, type ClassDeclaration, type NewExpression } from 'ts-morph';
import type { InputShape } from '../model';
import type { FileContext } from './context';
import type { ImportedName } from './imports';
import { inputFromSchema } from './inputSchema';
import { objectProperty } from './literals';
import { isLangChainModule } from './sdkModules';
import { compact, nameFrom, stringProperty } from './toolParts';

/** A `DynamicTool` (or a `tool()` without schema) takes one string, sent as `input`. */
const STRING_INPUT: InputShape = {
  kind: 'object',
  fields: [{ name: 'input', type: { kind: 'string' }, required: false }],
  additional: false,
};

/** LangChain.js `tool(fn, { name, description, schema })`. */
export function readLangChainCall(call: CallExpression, callee: ImportedName, ctx: FileContext): boolean {
  if (!isLangChainModule(callee.module) || callee.name !== 'tool') return false;
  pushTool(call, call.getArguments()[1], true, ctx);
  return true;
}

/** `new DynamicStructuredTool({ name, description, schema, func })` and `new DynamicTool({...})`. */
export function readLangChainNew(expr: NewExpression, ctx: FileContext): boolean {
  const ctor = ctx.imports.resolve(expr.getExpression());
  if (!ctor || !isLangChainModule(ctor.module)) return false;
  if (ctor.name !== 'DynamicStructuredTool' && ctor.name !== 'DynamicTool') return false;
  pushTool(expr, expr.getArguments()[0], ctor.name === 'DynamicStructuredTool', ctx);
  return true;
}

/**
 * `class Search extends StructuredTool { name = 'search'; description = '…'; schema = z.object(…) }`
 * (also `Tool`, which takes a string).
 */
export function readLangChainClass(cls: ClassDeclaration, ctx: FileContext): boolean {
  const base = cls.getExtends()?.getExpression();
  const imported = base && ctx.imports.resolve(base);
  if (!imported || !isLangChainModule(imported.module) || (imported.name !== 'StructuredTool' && imported.name !== 'Tool'))
    return false;
  const init = (key: string): Node | undefined => cls.getProperty(key)?.getInitializer();
  const schema = init('schema');
  ctx.tools.push(
    compact({
      ...nameFrom(init('name'), cls.getNameNode() ?? cls, ctx),
      description: literalOf(init('description')),
      input: schema ? inputFromSchema(schema, ctx) : imported.name === 'Tool' ? STRING_INPUT : undefined,
      source: 'langchain' as const,
      file: ctx.file,
      range: ctx.range(cls),
    }),
  );
  return true;
}

function pushTool(at: Node, config: Node | undefined, structured: boolean, ctx: FileContext): void {
  const schema = config && objectProperty(config, 'schema');
  ctx.tools.push(
    compact({
      ...nameFrom(config && objectProperty(config, 'name'), at, ctx),
      description: stringProperty(config, 'description'),
      input: schema ? inputFromSchema(schema, ctx) : structured ? undefined : STRING_INPUT,
      source: 'langchain' as const,
      file: ctx.file,
      range: ctx.range(at),
    }),
  );
}

function literalOf(node: Node | undefined): string | undefined {
  return node && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) ? node.getLiteralValue() : undefined;
}
