import type { Range } from '../text/range';
import type { ValueKind } from './secrets';

/** Which client's MCP configuration format a file is. */
export type { McpConfigKind } from '../workspace/fileKinds';
import type { McpConfigKind } from '../workspace/fileKinds';

/** One MCP server configuration file (`.vscode/mcp.json`, `.mcp.json`, `mcp.json`, `claude_desktop_config.json`). */
export interface McpConfig {
  file: string;
  kind: McpConfigKind;
  servers: McpServerConfig[];
  /** `inputs` declared at the top of `.vscode/mcp.json` (prompted values, e.g. API keys). */
  inputs: McpInputDecl[];
}

/** One configured MCP server. Secrets in it are masked in every field. */
export interface McpServerConfig {
  name: string;
  nameRange: Range;
  /** From the server's key to the end of its object. */
  range: Range;
  transport: 'stdio' | 'http' | 'sse' | 'unknown';
  command?: string;
  /** Arguments, with any that hold a secret masked. */
  args?: string[];
  /** The URL, with credential-like query parameters masked. */
  url?: string;
  envFile?: string;
  /** Every credential-like value in `env`, `headers`, `args` and the URL query. */
  credentials: McpCredential[];
}

/** A credential-like value of an MCP server configuration. */
export interface McpCredential {
  /** The env variable, header, flag or query parameter name. */
  key: string;
  location: 'env' | 'headers' | 'args' | 'url';
  valueKind: ValueKind;
  /** Masked when a literal; never the full secret. */
  maskedValue: string;
  /** The referenced input id or environment variable, for `input-ref` / `env-ref`. */
  refName?: string;
  keyRange: Range;
  /** The value. */
  range: Range;
}

/** A VS Code MCP input (`{type: "promptString", id, description, password}`). */
export interface McpInputDecl {
  id: string;
  type?: string;
  description?: string;
  password?: boolean;
  range: Range;
  idRange: Range;
}
