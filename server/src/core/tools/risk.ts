import type { ToolDefinition } from './model';

export type RiskLevel = 'high' | 'medium' | 'low';

/**
 * The documented default keywords (SPEC §11): a tool whose name or description uses one
 * moves money, deletes, sends outside, executes code or changes access.
 */
export const DEFAULT_RISK_KEYWORDS: readonly string[] = [
  'delete',
  'remove',
  'drop',
  'destroy',
  'purge',
  'refund',
  'transfer',
  'pay',
  'payout',
  'charge',
  'withdraw',
  'send',
  'email',
  'publish',
  'deploy',
  'release',
  'exec',
  'execute',
  'run',
  'shell',
  'command',
  'sql',
  'grant',
  'revoke',
  'rotate',
  'merge',
  'terminate',
  'shutdown',
];

/** Why a tool got its risk class. */
export interface RiskAssessment {
  level: RiskLevel;
  /** One sentence, e.g. `name contains "delete"`. */
  reason: string;
  /** The keyword that matched, if a keyword decided it. */
  keyword?: string;
  /** Where the keyword was found. */
  keywordIn?: 'name' | 'description';
  /**
   * The tool claims `readOnlyHint: true` although a keyword says it is destructive (AG013):
   * annotations are the author's hints, not proof.
   */
  misleadingReadOnly: boolean;
}

export interface RiskOptions {
  /** Replaces the default keyword list (setting or workspace configuration). */
  keywords?: readonly string[];
  /** A binding's `risk:` override for this tool; wins over everything else. */
  override?: RiskLevel;
}

const MCP_SOURCES = new Set<ToolDefinition['source']>(['mcp-sdk', 'mcp-sdk-legacy', 'mcp-json']);

/**
 * Risk class of a tool per SPEC §4/§11: keywords make it high whatever its hints say; then an
 * explicit or MCP-default `destructiveHint`; `readOnlyHint: true` makes it low; else medium.
 */
export function assessRisk(
  tool: Pick<ToolDefinition, 'name' | 'description' | 'annotations' | 'source'>,
  options: RiskOptions = {},
): RiskAssessment {
  const keywords = options.keywords ?? DEFAULT_RISK_KEYWORDS;
  const readOnly = tool.annotations?.readOnlyHint === true;
  const inName = findKeyword(nameWords(tool.name), keywords);
  const inDescription = inName ? undefined : findKeyword(textWords(tool.description ?? ''), keywords);
  const keyword = inName ?? inDescription;
  const misleadingReadOnly = readOnly && keyword !== undefined;
  const keywordIn = inName ? 'name' : 'description';

  if (options.override) {
    return { level: options.override, reason: "set by the binding's `risk:` override", misleadingReadOnly };
  }
  if (keyword) {
    return { level: 'high', reason: `${keywordIn} contains "${keyword}"`, keyword, keywordIn, misleadingReadOnly };
  }
  if (tool.annotations?.destructiveHint === true && !readOnly) {
    return { level: 'high', reason: 'annotated `destructiveHint: true`', misleadingReadOnly };
  }
  // MCP: destructiveHint defaults to true unless the tool is read-only or says otherwise.
  if (MCP_SOURCES.has(tool.source) && !readOnly && tool.annotations?.destructiveHint !== false) {
    return {
      level: 'high',
      reason: "MCP tool without `readOnlyHint: true` (MCP's `destructiveHint` defaults to true)",
      misleadingReadOnly,
    };
  }
  if (readOnly) return { level: 'low', reason: 'annotated `readOnlyHint: true`', misleadingReadOnly };
  return { level: 'medium', reason: 'no risk keyword and no read-only hint', misleadingReadOnly };
}

/**
 * Word parts of an identifier: `delete_user`, `deleteUser`, `delete-user`, `HTTPSend` →
 * lower-case words, so "address" never matches "dress" and `truncate` never matches "run".
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Words of a description; identifiers inside it (`run_query`) are split the same way. */
export function textWords(text: string): string[] {
  return text.split(/\s+/).flatMap(nameWords);
}

/**
 * The first keyword (in list order) some word inflects. The forms of each keyword are made once
 * per keyword list, so assessing a thousand tools after an edit is a few map lookups each.
 */
function findKeyword(words: string[], keywords: readonly string[]): string | undefined {
  const forms = formsOf(keywords);
  let best = -1;
  for (const w of words) {
    const i = forms.get(w);
    if (i !== undefined && (best < 0 || i < best)) best = i;
  }
  return best < 0 ? undefined : keywords[best];
}

const formMaps = new WeakMap<readonly string[], Map<string, number>>();

/** Every form that counts for each keyword → the index of the first keyword it counts for. */
function formsOf(keywords: readonly string[]): Map<string, number> {
  let map = formMaps.get(keywords);
  if (map) return map;
  map = new Map();
  keywords.forEach((kw, i) => {
    for (const form of inflections(kw.toLowerCase())) if (!map!.has(form)) map!.set(form, i);
  });
  formMaps.set(keywords, map);
  return map;
}

/** `deletes`, `deleted`, `deleting`, `running`, `dropped` count; `payment` or `sender` do not. */
function inflections(kw: string): string[] {
  const stem = kw.endsWith('e') ? kw.slice(0, -1) : kw;
  const doubled = kw + kw[kw.length - 1];
  const forms = [kw, kw + 's', kw + 'es', kw + 'ed', kw + 'd', stem + 'ing', stem + 'ed', doubled + 'ing', doubled + 'ed'];
  if (kw.endsWith('y')) forms.push(kw.slice(0, -1) + 'ies', kw.slice(0, -1) + 'ied');
  return [...forms, ...(IRREGULAR[kw] ?? [])];
}

const IRREGULAR: Record<string, string[]> = { send: ['sent'], run: ['ran'], pay: ['paid'], withdraw: ['withdrew', 'withdrawn'] };
