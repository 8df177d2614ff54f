/*
 * The product's one file classifier (SPEC §3, §11): the core reads files by it, and the
 * language server and the VS Code client (through `server/src/protocol.ts`) build their document
 * selectors and file watchers from `FILE_PATTERNS`, so the three never disagree.
 */

/** What a file is to the product. */
export type FileRole =
  | 'policy'
  | 'schema'
  | 'entities'
  | 'cedartests'
  | 'binding'
  | 'typescript'
  | 'tool-json'
  | 'mcp-config'
  | 'package-json'
  | 'agentgov-config';

/** How the workspace store files it: every JSON file that may hold tools or configs is `json`. */
export type FileKind = 'policy' | 'schema' | 'entities' | 'cedartests' | 'binding' | 'typescript' | 'json' | 'config';

/**
 * Where a workspace folder's own governance rules live by default (setting `agentgov.rulesPath`,
 * or `rulesPath` in its `.agentgov/config.yaml`). A `.cedar` file there is a **rule file**, not a
 * policy: it is judged against the governance facts schema and joins the folder's rule pack. The
 * path alone cannot tell (the folder is configurable), so `classify` calls it `policy` and the
 * core's configuration (`core/config/workspaceConfig.ts`, `isRuleFile`) sets it apart.
 */
export const DEFAULT_RULES_PATH = '.agentgov/rules';

/** `.agentgov/config.yaml` (or `.yml`): a workspace folder's governance configuration. */
const AGENTGOV_CONFIG = /(^|\/)\.agentgov\/config\.ya?ml$/i;

/** Which MCP client a configuration file belongs to (its format differs slightly). */
export type McpConfigKind = 'vscode' | 'claude-desktop' | 'claude-code' | 'generic';

const SUFFIXES: [string, FileRole][] = [
  ['.cedarschema.json', 'schema'],
  ['.cedarentities.json', 'entities'],
  ['.entities.json', 'entities'],
  ['.cedartests.json', 'cedartests'],
  ['.agent.yaml', 'binding'],
  ['.agent.yml', 'binding'],
  ['.agent.json', 'binding'],
  ['.cedarschema', 'schema'],
  ['.cedar', 'policy'],
];

/** JSON files that belong to other tools and never hold agent tools. */
const OTHER_JSON = /(^|\/)(package-lock|tsconfig[^/]*|jsconfig|composer|\.eslintrc|settings|launch|tasks|extensions)\.json$/i;

/** Globs of each role, for editors' document selectors and file watchers. */
export const FILE_PATTERNS: Record<FileRole, string[]> = {
  policy: ['**/*.cedar'],
  schema: ['**/*.cedarschema', '**/*.cedarschema.json'],
  entities: ['**/*.cedarentities.json', '**/*.entities.json'],
  cedartests: ['**/*.cedartests.json'],
  binding: ['**/*.agent.yaml', '**/*.agent.yml', '**/*.agent.json'],
  typescript: ['**/*.ts', '**/*.tsx', '**/*.mts'],
  'tool-json': ['**/*.json', '**/*.jsonc'],
  'mcp-config': ['**/.vscode/mcp.json', '**/.mcp.json', '**/mcp.json', '**/claude_desktop_config.json'],
  'package-json': ['**/package.json'],
  'agentgov-config': ['**/.agentgov/config.yaml', '**/.agentgov/config.yml'],
};

/** The MCP client of a configuration file, by its name. */
export function mcpConfigKind(path: string): McpConfigKind | undefined {
  const p = path.replace(/\\/g, '/');
  if (/(^|\/)\.vscode\/mcp\.json$/i.test(p)) return 'vscode';
  if (/(^|\/)claude_desktop_config\.json$/i.test(p)) return 'claude-desktop';
  if (/(^|\/)\.mcp\.json$/i.test(p)) return 'claude-code';
  if (/(^|\/)mcp\.json$/i.test(p)) return 'generic';
  return undefined;
}

/**
 * The role of a file by its path, or undefined for files the product never reads:
 * anything under `node_modules/` or `.git/`, declaration files, lock files and other tools' JSON.
 */
export function classify(path: string): FileRole | undefined {
  const p = path.replace(/\\/g, '/');
  if (/(^|\/)(node_modules|\.git)\//.test(p)) return undefined;
  if (AGENTGOV_CONFIG.test(p)) return 'agentgov-config';
  const lower = p.toLowerCase();
  for (const [suffix, role] of SUFFIXES) if (lower.endsWith(suffix)) return role;
  if (mcpConfigKind(p)) return 'mcp-config';
  if (/\.d\.[cm]?ts$/.test(lower)) return undefined;
  if (/\.(ts|tsx|mts)$/.test(lower)) return 'typescript';
  if (/(^|\/)package\.json$/.test(lower)) return 'package-json';
  if (/\.jsonc?$/.test(lower) && !OTHER_JSON.test(p)) return 'tool-json';
  return undefined;
}

/** The kind the workspace store files a path under, or undefined for files the core ignores. */
export function fileKindOf(path: string): FileKind | undefined {
  const role = classify(path);
  if (role === 'agentgov-config') return 'config';
  return role === 'tool-json' || role === 'mcp-config' || role === 'package-json' ? 'json' : role;
}

/** Kinds whose diagnostics the Cedar core produces. */
export function isCedarKind(kind: FileKind | undefined): kind is 'policy' | 'schema' | 'entities' {
  return kind === 'policy' || kind === 'schema' || kind === 'entities';
}
