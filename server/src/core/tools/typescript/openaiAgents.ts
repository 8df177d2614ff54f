import { Node, type CallExpression } from 'ts-morph';
import type { FileContext } from './context';
import type { ImportedName } from './imports';
import { inputFromSchema } from './inputSchema';
import { objectProperty } from './literals';
import { findDeclaration, resolveValue } from './scope';
import { isOpenAiAgentsModule } from './sdkModules';
import { compact, nameFrom, needsApprovalOf, stringProperty, type ToolName } from './toolParts';

/**
 * OpenAI Agents SDK: `tool({ name, description, parameters, execute, needsApproval })`.
 * Without `name` the SDK uses the name of the `execute` function, so that counts as well.
 */
export function readOpenAiAgentsCall(call: CallExpression, callee: ImportedName, ctx: FileContext): boolean {
  if (!isOpenAiAgentsModule(callee.module) || callee.name !== 'tool') return false;
  const config = call.getArguments()[0];
  const schema = config && objectProperty(config, 'parameters');
  const nameNode = config && objectProperty(config, 'name');
  const name = nameNode ? nameFrom(nameNode, call, ctx) : (executeName(config, ctx) ?? nameFrom(undefined, call, ctx));
  ctx.tools.push(
    compact({
      ...name,
      description: stringProperty(config, 'description'),
      input: schema ? inputFromSchema(schema, ctx) : undefined,
      needsApproval: needsApprovalOf(config),
      source: 'openai-agents' as const,
      file: ctx.file,
      range: ctx.range(call),
    }),
  );
  return true;
}

/** `execute: async function getWeather() {…}` or `execute: getWeather` with a local function. */
function executeName(config: Node | undefined, ctx: FileContext): ToolName | undefined {
  const exec = config && objectProperty(config, 'execute');
  if (!exec) return undefined;
  let fn: Node = resolveValue(exec);
  if (Node.isIdentifier(fn)) {
    const decl = findDeclaration(fn.getText(), fn);
    if (decl && Node.isFunctionDeclaration(decl)) fn = decl;
  }
  if ((Node.isFunctionExpression(fn) || Node.isFunctionDeclaration(fn)) && fn.getNameNode()) {
    const id = fn.getNameNode()!;
    return { name: id.getText(), nameKnown: true, nameRange: ctx.range(id) };
  }
  return undefined;
}
