import { classify } from '../workspace/fileKinds';
import { mayDefineTools } from './typescript/sdkModules';

/** What discovery does with a file (workspace/fileKinds.ts classifies; this is its tools' view). */
export type ToolFileKind = 'typescript' | 'tool-json' | 'mcp-config' | 'binding' | 'ignored';

/** The kind of a workspace file for tool discovery, by its path (SPEC §3, §11). */
export function toolFileKind(path: string): ToolFileKind {
  const role = classify(path);
  return role === 'typescript' || role === 'tool-json' || role === 'mcp-config' || role === 'binding' ? role : 'ignored';
}

/**
 * Whether the workspace needs a JSON file at all: tool lists, MCP configs, bindings, request
 * tests, and `package.json` (it names the server of TypeScript MCP tools).
 */
export function isWantedJson(path: string): boolean {
  return classify(path) !== undefined;
}

/**
 * Whether a file's text can hold a tool definition, by a cheap test: most TypeScript and JSON
 * files of a workspace cannot, and the workspace keeps no text of those until they are opened.
 */
export function mayHoldTools(path: string, text: string): boolean {
  const kind = toolFileKind(path);
  if (kind === 'typescript') return mayDefineTools(text);
  if (kind === 'tool-json') return /\.tools\.jsonc?$/i.test(path) || /"(tools|functions|function)"/.test(text);
  return true;
}
