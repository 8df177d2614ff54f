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

/**
 * Verbs that, leading a tool's name, say the tool only reads: the words after them name what is
 * read, not what is done, so `check_payout_status`, `getRefundStatus` and `list-deleted-items`
 * are not high because of "payout", "refund" or "deleted". Matched against the whole first word
 * of the name, without inflections; a verb written as two words counts as its one-word form
 * (`look_up` → "lookup"). `is`/`has` lead predicates (`is_deleted`, `hasPaid`); `status` leads
 * status reports (`status_of_release`). Left out on purpose: verbs that read but may also change
 * or ship something (`load`, `sync`, `resolve`, `compute`, `test`, `download`, `export`), and
 * `query`: `query_sql` runs whatever SQL it is given.
 */
export const DEFAULT_READ_ONLY_VERBS: readonly string[] = [
  'get',
  'list',
  'search',
  'find',
  'fetch',
  'retrieve',
  'read',
  'lookup',
  'view',
  'show',
  'describe',
  'inspect',
  'count',
  'check',
  'is',
  'has',
  'validate',
  'verify',
  'preview',
  'estimate',
  'calculate',
  'compare',
  'explain',
  'summarize',
  'summarise',
  'analyze',
  'analyse',
  'status',
];

/** Why a tool got its risk class. */
export interface RiskAssessment {
  level: RiskLevel;
  /** One sentence naming the keyword, verb or hint that decided, e.g. `name contains "delete"`. */
  reason: string;
  /** The keyword that made the tool high, if a keyword decided it. */
  keyword?: string;
  /** Where that keyword was found. */
  keywordIn?: 'name' | 'description';
  /**
   * The read-only verb the name leads with (as spelled in the verb list), if any: it outweighs
   * risk keywords later in the name (up to an "and"/"then") and in the description.
   */
  readOnlyVerb?: string;
  /**
   * The tool claims `readOnlyHint: true` although its name carries a risk keyword that no leading
   * read-only verb outweighs (AG013): annotations are the author's hints, not proof.
   */
  misleadingReadOnly: boolean;
}

export interface RiskOptions {
  /** Replaces the default keyword list (setting or workspace configuration). */
  keywords?: readonly string[];
  /** Replaces the default read-only verb list ({@link DEFAULT_READ_ONLY_VERBS}). */
  readOnlyVerbs?: readonly string[];
  /** A binding's `risk:` override for this tool; wins over everything else. */
  override?: RiskLevel;
}

const MCP_SOURCES = new Set<ToolDefinition['source']>(['mcp-sdk', 'mcp-sdk-legacy', 'mcp-json']);

/** Words after which a name describes a second action the leading verb does not govern. */
const CLAUSE_BREAKS = new Set(['and', 'then']);

/**
 * Risk class of a tool per SPEC §4/§11, first match wins:
 * 1. a binding's `risk:` override;
 * 2. a risk keyword in the name → high, whatever the hints say, unless a read-only verb leads the
 *    name (`check_payout_status`) and the keyword comes before any "and"/"then" (`get_and_delete`
 *    stays high);
 * 3. a risk keyword in the description → high, unless the tool says `readOnlyHint: true` or its
 *    name leads with a read-only verb (description words never override either);
 * 4. `destructiveHint: true`, or an MCP tool's default `destructiveHint` (MCP tools without
 *    `readOnlyHint: true` or `destructiveHint: false`, even `get_invoice`) → high;
 * 5. `readOnlyHint: true` → low; else medium.
 */
export function assessRisk(
  tool: Pick<ToolDefinition, 'name' | 'description' | 'annotations' | 'source'>,
  options: RiskOptions = {},
): RiskAssessment {
  const keywords = options.keywords ?? DEFAULT_RISK_KEYWORDS;
  const readOnly = tool.annotations?.readOnlyHint === true;
  const words = nameWords(tool.name);
  const lead = leadingReadOnlyVerb(words, options.readOnlyVerbs ?? DEFAULT_READ_ONLY_VERBS, keywords);
  // The leading verb governs the name up to the first "and"/"then"; keywords from there on count.
  const governedEnd = lead ? clauseEnd(words, lead.span) : 0;
  const inName = findKeyword(lead ? words.slice(governedEnd) : words, keywords);
  const inDescription = inName ? undefined : findKeyword(textWords(tool.description ?? ''), keywords);
  const misleadingReadOnly = readOnly && inName !== undefined;
  const verbField = lead ? { readOnlyVerb: lead.verb } : {};
  const result = (level: RiskLevel, reason: string, extra: Partial<RiskAssessment> = {}): RiskAssessment => ({
    level,
    reason,
    ...extra,
    ...verbField,
    misleadingReadOnly,
  });

  if (options.override) return result(options.override, "set by the binding's `risk:` override");
  if (inName) {
    const where = lead ? ` after "${words[governedEnd]}", beyond the read-only verb "${lead.verb}" leading it` : '';
    return result('high', `name contains "${inName}"${where}`, { keyword: inName, keywordIn: 'name' });
  }
  if (inDescription && !readOnly && !lead) {
    return result('high', `description contains "${inDescription}"`, { keyword: inDescription, keywordIn: 'description' });
  }
  if (tool.annotations?.destructiveHint === true && !readOnly) return result('high', 'annotated `destructiveHint: true`');
  // MCP: destructiveHint defaults to true unless the tool is read-only or says otherwise.
  if (MCP_SOURCES.has(tool.source) && !readOnly && tool.annotations?.destructiveHint !== false) {
    const hint = lead
      ? `; its name leads with the read-only verb "${lead.verb}": add \`readOnlyHint: true\` if it only reads`
      : '';
    return result('high', `MCP tool without \`readOnlyHint: true\` (MCP's \`destructiveHint\` defaults to true${hint})`);
  }
  // Risk words the read-only hint or the leading verb outweighed, named so the reason is checkable.
  const inGoverned = lead ? findKeyword(words.slice(lead.span, governedEnd), keywords) : undefined;
  if (readOnly) {
    const notes = [
      inDescription && `the read-only hint wins over the description's "${inDescription}"`,
      lead && inGoverned && `the read-only verb "${lead.verb}" leading the name outweighs "${inGoverned}"`,
    ].filter(Boolean);
    return result('low', ['annotated `readOnlyHint: true`', ...notes].join('; '));
  }
  if (lead) {
    const outweighed = [inGoverned && `"${inGoverned}"`, inDescription && `the description's "${inDescription}"`]
      .filter(Boolean)
      .join(' and ');
    const verb = `name leads with the read-only verb "${lead.verb}"`;
    return result(
      'medium',
      outweighed
        ? `${verb}, which outweighs ${outweighed} (no read-only hint)`
        : `${verb}, no risk keyword and no read-only hint`,
    );
  }
  return result('medium', 'no risk keyword and no read-only hint');
}

/**
 * The read-only verb leading the name, and how many words it spans (`look_up` → "lookup", 2).
 * A risk keyword as first word is never read-only (`run_query`), whatever the verb list says.
 */
function leadingReadOnlyVerb(
  words: string[],
  verbs: readonly string[],
  keywords: readonly string[],
): { verb: string; span: number } | undefined {
  const first = words[0];
  if (first === undefined || formsOf(keywords).has(first)) return undefined;
  const set = verbsOf(verbs);
  const one = set.get(first);
  if (one !== undefined) return { verb: one, span: 1 };
  const two = words.length > 1 ? set.get(first + words[1]) : undefined;
  return two === undefined ? undefined : { verb: two, span: 2 };
}

/** Index of the first "and"/"then" at or after `from`, else the word count. */
function clauseEnd(words: string[], from: number): number {
  for (let i = from; i < words.length; i++) if (CLAUSE_BREAKS.has(words[i])) return i;
  return words.length;
}

const verbMaps = new WeakMap<readonly string[], Map<string, string>>();

/** Lower-case verb → its spelling in the list, made once per verb list. */
function verbsOf(verbs: readonly string[]): Map<string, string> {
  let set = verbMaps.get(verbs);
  if (set) return set;
  set = new Map();
  for (const v of verbs) {
    const key = v.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (key && !set.has(key)) set.set(key, v);
  }
  verbMaps.set(verbs, set);
  return set;
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
