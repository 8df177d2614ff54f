import { Node, type CallExpression } from 'ts-morph';
import type { ToolAnnotations } from '../model';
import { isAnnotationKey } from '../annotations';
import type { FileContext } from './context';
import { inputFromSchema } from './inputSchema';
import { objectProperty, propertyKey, staticString } from './literals';
import { mcpServerOf } from './mcpServer';
import { resolveValue } from './scope';
import { annotationsOf, compact, nameFrom, stringProperty } from './toolParts';
import { isRawShape, readZod } from './zod';

/** The `McpServer` methods that define a tool (discovery also filters calls by these before reading them). */
export const MCP_SDK_METHODS: ReadonlySet<string> = new Set(['registerTool', 'tool']);

/**
 * MCP TypeScript SDK: `server.registerTool(name, config, handler)` and the legacy
 * `server.tool(name, [description], [paramsSchema], [annotations], handler)` overloads, on a
 * receiver that really is an `McpServer`. Returns true when the call was a tool definition.
 */
export function readMcpCall(call: CallExpression, ctx: FileContext): boolean {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return false;
  const method = callee.getName();
  if (!MCP_SDK_METHODS.has(method)) return false;
  const args = call.getArguments();
  if (args.length < 2) return false;
  const server = mcpServerOf(callee.getExpression(), ctx);
  if (!server) return false;

  const name = nameFrom(args[0], call, ctx);
  const base = { ...name, server: server.name, file: ctx.file, range: ctx.range(call) };
  if (method === 'registerTool') {
    const config = args[1];
    const schema = objectProperty(config, 'inputSchema');
    const annotations = annotationsOf(objectProperty(config, 'annotations'), ctx);
    ctx.tools.push(
      compact({
        ...base,
        title: stringProperty(config, 'title') ?? annotations?.title,
        description: stringProperty(config, 'description'),
        input: schema ? inputFromSchema(schema, ctx) : undefined,
        annotations,
        source: 'mcp-sdk' as const,
      }),
    );
    return true;
  }

  const parts = legacyParts(args.slice(1, -1), ctx);
  ctx.tools.push(
    compact({
      ...base,
      title: parts.annotations?.title,
      description: parts.description,
      input: parts.params ? inputFromSchema(parts.params, ctx) : undefined,
      annotations: parts.annotations,
      source: 'mcp-sdk-legacy' as const,
    }),
  );
  return true;
}

type ArgKind = 'string' | 'shape' | 'annotations' | 'other';

interface LegacyParts {
  description?: string;
  params?: Node;
  annotations?: ToolAnnotations;
}

/**
 * Sorts the arguments between the name and the handler the way the SDK does at run time:
 * a string first is the description; an object that is a zod shape is the params schema;
 * an object of annotation keys is the annotations.
 */
function legacyParts(middle: Node[], ctx: FileContext): LegacyParts {
  const kinds = middle.map((m) => argKind(m, ctx));
  const out: LegacyParts = {};
  let rest = middle;
  let restKinds = kinds;
  // With three arguments, or a shape second, the first is the description even when not a literal.
  if (kinds[0] === 'string' || middle.length >= 3 || (middle.length === 2 && kinds[1] === 'shape')) {
    out.description = staticString(middle[0]);
    rest = middle.slice(1);
    restKinds = kinds.slice(1);
  }
  if (rest.length >= 2) {
    out.params = rest[0];
    out.annotations = annotationsOf(rest[1], ctx);
  } else if (rest.length === 1) {
    if (restKinds[0] === 'annotations') out.annotations = annotationsOf(rest[0], ctx);
    else out.params = rest[0];
  }
  return out;
}

function argKind(arg: Node, ctx: FileContext): ArgKind {
  const v = resolveValue(arg);
  if (staticString(v) !== undefined || Node.isTemplateExpression(v)) return 'string';
  if (readZod(v, ctx)) return 'shape';
  if (Node.isObjectLiteralExpression(v)) {
    const props = v.getProperties();
    if (props.length === 0 || isRawShape(v, ctx)) return 'shape';
    const keys = props.map((p) =>
      Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p) ? (propertyKey(p.getNameNode()) ?? '') : '',
    );
    if (keys.every(isAnnotationKey)) return 'annotations';
  }
  return 'other';
}
