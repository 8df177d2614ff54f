import { mcpConfigKind } from './mcpConfig';
import { mayDefineTools } from './typescript/sdkModules';

/** What discovery does with a file. */
export type ToolFileKind = 'typescript' | 'tool-json' | 'mcp-config' | 'binding' | 'ignored';

/** JSON files that belong to other readers (Cedar, npm, TypeScript) and never hold tools. */
const OTHER_JSON = /(\.cedarschema|\.cedarentities|\.entities|\.cedartests)\.json$|(^|\/)(package|package-lock|tsconfig[^/]*|jsconfig|composer|\.eslintrc|settings|launch|tasks|extensions)\.json$/i;

/**
 * The kind of a workspace file by its path (SPEC §3, §11): `node_modules/` and `.git/` are
 * never read; TypeScript means `.ts`, `.tsx`, `.mts` (not `.d.ts`).
 */
export function toolFileKind(path: string): ToolFileKind {
  const p = path.replace(/\\/g, '/');
  if (/(^|\/)(node_modules|\.git)\//.test(p)) return 'ignored';
  if (/\.agent\.(ya?ml|json)$/i.test(p)) return 'binding';
  if (mcpConfigKind(p)) return 'mcp-config';
  if (/\.d\.[cm]?ts$/i.test(p)) return 'ignored';
  if (/\.(ts|tsx|mts)$/i.test(p)) return 'typescript';
  if (/\.jsonc?$/i.test(p) && !OTHER_JSON.test(p)) return 'tool-json';
  return 'ignored';
}

/**
 * Whether the workspace needs a JSON file at all: tool lists, MCP configs, and `package.json`
 * (it names the server of TypeScript MCP tools). Lock files and other configs are never read.
 */
export function isWantedJson(path: string): boolean {
  const kind = toolFileKind(path);
  return kind === 'tool-json' || kind === 'mcp-config' || kind === 'binding' || /(^|[\\/])package\.json$/i.test(path);
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
