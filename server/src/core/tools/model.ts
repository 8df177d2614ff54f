import type { Severity } from '../findings/finding';
import type { Range } from '../text/range';

/** Where a tool definition was found (which SDK call or JSON format). */
export type ToolSource =
  'mcp-sdk' | 'mcp-sdk-legacy' | 'vercel-ai' | 'langchain' | 'openai-agents' | 'mcp-json' | 'openai-function';

/** MCP tool annotations: hints from the tool's author, not proof. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** The statically known type of one input value. */
export type FieldType =
  | { kind: 'string'; enum?: string[]; format?: string }
  | { kind: 'number'; integer?: boolean }
  | { kind: 'boolean' }
  | { kind: 'array'; items: FieldType }
  | { kind: 'object'; fields: InputField[]; additional?: boolean }
  | { kind: 'unknown'; reason: string };

/** One named input field of a tool. */
export interface InputField {
  name: string;
  type: FieldType;
  /** False when the field is optional, has a default, or is not listed in `required`. */
  required: boolean;
  description?: string;
  /** Where the field is declared (its key), when that is in the tool's own file. */
  range?: Range;
}

/**
 * The arguments of a tool: always an object, as in MCP and OpenAI function calling.
 * `unknownReason` is set when a schema exists but cannot be read statically (then `fields`
 * is empty and `additional` is true).
 */
export interface InputShape {
  kind: 'object';
  fields: InputField[];
  /** True when keys beyond `fields` are accepted. */
  additional?: boolean;
  unknownReason?: string;
}

/** One tool definition found in the workspace. */
export interface ToolDefinition {
  /** The tool name; a readable placeholder such as `<computed: …>` when `nameKnown` is false. */
  name: string;
  /** False when the name is computed at run time; a problem is reported then, never a guess. */
  nameKnown: boolean;
  /** The MCP server (JSON `server` field, file name, or `new McpServer({name})`). */
  server?: string;
  title?: string;
  description?: string;
  /** The tool's arguments; undefined when the definition declares no input schema. */
  input: InputShape | undefined;
  annotations?: ToolAnnotations;
  /** SDK-level approval: a literal boolean, or `'dynamic'` for a function or other expression. */
  needsApproval?: boolean | 'dynamic';
  source: ToolSource;
  /** Path of the file, as given to discovery. */
  file: string;
  /** The whole definition (call, constructor or JSON object). */
  range: Range;
  /** The name literal or the key that names the tool. */
  nameRange: Range;
}

/** Something about a tool file that cannot be known statically, or is broken. */
export interface DiscoveryProblem {
  file: string;
  range: Range;
  message: string;
  severity: Severity;
  /** A stable kind, e.g. `ts-syntax`, `json-syntax`, `tool-name-unknown`. */
  code: DiscoveryProblemCode;
}

export type DiscoveryProblemCode =
  | 'ts-syntax'
  | 'json-syntax'
  | 'yaml-syntax'
  | 'tool-name-unknown'
  | 'tool-invalid'
  | 'config-invalid'
  | 'binding-unknown-key'
  | 'binding-invalid-value'
  | 'binding-missing-key';

/** A string literal of tool code or a tool list that is a secret (AG007). Never holds the value itself. */
export interface SecretLiteral {
  file: string;
  /** The literal, quotes included. */
  range: Range;
  /** The name it is assigned to (`apiKey`, `Authorization`), else where it is passed (`new Stripe(…)`). */
  key: string;
  /** `sk_l…(32 chars)`: never the whole value. */
  maskedValue: string;
  /** A well-known secret format, or the name it is assigned to together with its look. */
  reason: 'format' | 'name';
}

/** Result of discovering tools in a set of files. */
export interface DiscoveryResult {
  tools: ToolDefinition[];
  problems: DiscoveryProblem[];
  /** Literal secrets in the files read (only present when there are some). */
  secrets?: SecretLiteral[];
}
