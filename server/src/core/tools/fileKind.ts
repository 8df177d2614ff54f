import { mcpConfigKind } from './mcpConfig';

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
