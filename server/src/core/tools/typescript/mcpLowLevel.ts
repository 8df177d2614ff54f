import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import type { FileContext } from './context';
import { inputFromSchema } from './inputSchema';
import { objectProperty } from './literals';
import { findDeclaration, resolveValue, unwrap } from './scope';
import { isMcpModule } from './sdkModules';
import { annotationsOf, compact, nameFrom, stringProperty } from './toolParts';
import { descendantsOfKind } from './walk';

/** The low-level `Server` method whose `ListToolsRequestSchema` handler lists the tools. */
export const LIST_TOOLS_METHOD = 'setRequestHandler';

/**
 * The low-level MCP server (`Server` of `@modelcontextprotocol/sdk/server/index.js`):
 * `server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [...] }))`. The
 * tools are the object literals of the returned `tools` array (through `const`s).
 */
export function readMcpListTools(call: CallExpression, ctx: FileContext): boolean {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== LIST_TOOLS_METHOD) return false;
  const [schema, handler] = call.getArguments();
  const imported = schema && ctx.imports.resolve(schema);
  if (
    !imported ||
    imported.name !== 'ListToolsRequestSchema' ||
    !imported.module.startsWith('@modelcontextprotocol/') ||
    !handler
  )
    return false;
  const server = serverName(callee.getExpression(), ctx);
  const fn = resolveValue(handler);
  if (!(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isFunctionDeclaration(fn))) return true;
  const body = fn.getBody();
  const results =
    body && Node.isBlock(body) ? descendantsOfKind(body, SyntaxKind.ReturnStatement).map((r) => r.getExpression()) : [body];
  for (const result of results) {
    const list = result && objectProperty(unwrap(Node.isAwaitExpression(result) ? result.getExpression() : result), 'tools');
    if (list) readList(list, server, ctx);
  }
  return true;
}

function readList(list: Node, server: string | undefined, ctx: FileContext): void {
  const arr = resolveValue(list);
  if (!Node.isArrayLiteralExpression(arr)) {
    ctx.problem(list, 'This tool list is computed at run time; its tools are not known statically.', 'tool-name-unknown', 'info');
    return;
  }
  for (const el of arr.getElements()) {
    if (Node.isSpreadElement(el)) {
      readList(el.getExpression(), server, ctx);
      continue;
    }
    const item = resolveValue(el);
    if (!Node.isObjectLiteralExpression(item)) continue;
    const schema = objectProperty(item, 'inputSchema');
    const annotations = annotationsOf(objectProperty(item, 'annotations'), ctx);
    ctx.tools.push(
      compact({
        ...nameFrom(objectProperty(item, 'name'), item, ctx),
        server,
        title: stringProperty(item, 'title') ?? annotations?.title,
        description: stringProperty(item, 'description'),
        input: schema ? inputFromSchema(schema, ctx) : undefined,
        annotations,
        source: 'mcp-sdk' as const,
        file: ctx.file,
        range: ctx.range(item),
      }),
    );
  }
}

/** `new Server({ name: 'x', version }, { capabilities })` held in the receiver variable. */
function serverName(receiver: Node, ctx: FileContext): string | undefined {
  const r = unwrap(receiver);
  const decl = Node.isIdentifier(r) ? findDeclaration(r.getText(), r) : undefined;
  const init = decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
  const created = init && unwrap(init);
  if (!created || !Node.isNewExpression(created)) return undefined;
  const ctor = ctx.imports.resolve(created.getExpression());
  if (!ctor || !isMcpModule(ctor.module)) return undefined;
  const info = created.getArguments()[0];
  return info ? stringProperty(info, 'name') : undefined;
}
