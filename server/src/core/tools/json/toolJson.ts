import { annotationsFrom } from '../annotations';
import { inputShapeFromJsonSchema } from '../jsonSchema';
import { stringOf, valueOf, type LocatedValue } from '../located';
import type { DiscoveryProblem, ToolDefinition, ToolSource } from '../model';

/** What one JSON document holds in the way of tools. */
export interface ToolJsonContent {
  tools: ToolDefinition[];
  problems: DiscoveryProblem[];
  /** True when at least one tool was read: the document really is a tool list. */
  recognized: boolean;
  /** True when the document has a tool list's shape (a `tools` array, even empty). */
  listFound: boolean;
}

/**
 * Reads the tool-list shapes of SPEC §3 from a parsed JSON document: an MCP `tools/list`
 * result (`{tools}` or `{result: {tools}}`), OpenAI function definitions (nested
 * `{type: "function", function: {...}}` or flat, single, in an array, or under `tools` /
 * `functions`). `defaultServer` names the server of MCP tools without a `server` field.
 */
export function readToolJson(root: LocatedValue | undefined, file: string, defaultServer: string): ToolJsonContent {
  const out: ToolJsonContent = { tools: [], problems: [], recognized: false, listFound: false };
  if (!root) return out;
  if (root.kind === 'array') {
    out.listFound = true;
    for (const item of root.items) readItem(item, undefined, 'array', file, out);
    return out;
  }
  if (root.kind !== 'object') return out;
  if (isFunctionItem(root)) {
    out.listFound = true;
    readItem(root, undefined, 'array', file, out);
    return out;
  }
  const result = valueOf(root, 'result');
  const list = valueOf(root, 'tools') ?? valueOf(result, 'tools');
  if (list?.kind === 'array') {
    out.listFound = true;
    const server = serverName(root) ?? serverName(result) ?? defaultServer;
    for (const item of list.items) readItem(item, server, 'mcp', file, out);
  }
  const functions = valueOf(root, 'functions');
  if (functions?.kind === 'array') {
    out.listFound = true;
    for (const item of functions.items) readItem(item, undefined, 'legacy-functions', file, out);
  }
  return out;
}

/** `server: "x"`, `server: {name}` or an `initialize` result's `serverInfo: {name}`. */
function serverName(obj: LocatedValue | undefined): string | undefined {
  const server = valueOf(obj, 'server');
  if (server?.kind === 'string') return server.value;
  return stringOf(server, 'name') ?? stringOf(valueOf(obj, 'serverInfo'), 'name');
}

function isFunctionItem(v: LocatedValue): boolean {
  return stringOf(v, 'type') === 'function';
}

/** Where an item sits decides how an item without `type` is read. */
type ItemContext = 'mcp' | 'array' | 'legacy-functions';

function readItem(item: LocatedValue, server: string | undefined, where: ItemContext, file: string, out: ToolJsonContent): void {
  if (item.kind !== 'object') {
    if (where !== 'array') out.problems.push(invalid(item, file, 'A tool must be an object.'));
    return;
  }
  const type = stringOf(item, 'type');
  if (type === 'function') {
    // Nested (Chat Completions) or flat (Responses API).
    const fn = valueOf(item, 'function');
    push(fn?.kind === 'object' ? fn : item, item, undefined, 'openai-function', 'parameters', file, out);
  } else if (type !== undefined && where !== 'legacy-functions') {
    // Hosted tools (`web_search`, `file_search`, …) are not function definitions.
    return;
  } else if (where === 'legacy-functions') {
    push(item, item, undefined, 'openai-function', 'parameters', file, out);
  } else if (where === 'mcp' || valueOf(item, 'inputSchema')) {
    push(item, item, server, 'mcp-json', 'inputSchema', file, out);
  }
}

function push(
  def: LocatedValue,
  whole: LocatedValue,
  server: string | undefined,
  source: ToolSource,
  schemaKey: string,
  file: string,
  out: ToolJsonContent,
): void {
  const nameValue = valueOf(def, 'name');
  if (nameValue?.kind !== 'string' || nameValue.value === '') {
    out.problems.push(invalid(nameValue ?? whole, file, 'A tool needs a non-empty string `name`.'));
    return;
  }
  const schema = valueOf(def, schemaKey);
  const annotations = source === 'mcp-json' ? annotationsFrom(valueOf(def, 'annotations')) : undefined;
  const title = stringOf(def, 'title') ?? annotations?.title;
  const description = stringOf(def, 'description');
  const tool: ToolDefinition = {
    name: nameValue.value,
    nameKnown: true,
    input: schema ? inputShapeFromJsonSchema(schema) : undefined,
    source,
    file,
    range: whole.range,
    nameRange: nameValue.range,
  };
  if (server !== undefined) tool.server = server;
  if (title !== undefined) tool.title = title;
  if (description !== undefined) tool.description = description;
  if (annotations) tool.annotations = annotations;
  out.tools.push(tool);
  out.recognized = true;
}

function invalid(at: LocatedValue, file: string, message: string): DiscoveryProblem {
  return { file, range: at.range, message, severity: 'error', code: 'tool-invalid' };
}
