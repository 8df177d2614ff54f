import { parseDuration } from '../bindings/duration';
import { parseYamlLocated } from '../bindings/yamlLocated';
import type { Finding, Severity } from '../findings/finding';
import { didYouMean } from '../text/didYouMean';
import type { Range } from '../text/range';
import { describeKind, type LocatedEntry, type LocatedValue } from '../tools/located';
import { CONFIG_KEYS, RISK_KEYS, RISK_KEYWORD_PATTERN, RULE_LEVELS, type RuleLevel } from './configRules';

/** The rule id of every problem in `.agentgov/config.yaml`. */
export const CONFIG_RULE = 'agentgov-config';

/** What a folder's `.agentgov/config.yaml` says, with what could not be read left out. */
export interface AgentgovConfig {
  /** Rule id → `off` or a new severity. */
  rules: Record<string, RuleLevel>;
  /** A valid duration as written (`30m`; a number of seconds as `1800s`). */
  maxCredentialTtl?: string;
  highRiskKeywords?: string[];
  readOnlyVerbs?: string[];
  replaceDefaults: boolean;
  rulesPath?: string;
}

/** One entry of `rules:`, where it is written (unknown ids are reported against the folder's rules). */
export interface RuleEntry {
  id: string;
  keyRange: Range;
}

export interface ConfigFileModel {
  config: AgentgovConfig;
  problems: Finding[];
  rules: RuleEntry[];
  /** Where `rulesPath` is written (its value is checked against the folder). */
  rulesPathRange?: Range;
}

export const EMPTY_CONFIG: AgentgovConfig = { rules: {}, replaceDefaults: false };

type LocatedObject = Extract<LocatedValue, { kind: 'object' }>;

/**
 * Reads `.agentgov/config.yaml` with the exact range of every key and value. Never throws: a
 * problem is a finding on its range (rule `agentgov-config`), and what cannot be read keeps its
 * default while the rest of the file still applies.
 */
export function readConfig(file: string, text: string): ConfigFileModel {
  const parsed = parseYamlLocated(file, text, 'a configuration file');
  const problems: Finding[] = parsed.problems.map((p) => ({
    ruleId: CONFIG_RULE,
    severity: p.severity,
    message: p.message,
    file,
    range: p.range,
  }));
  const report = (range: Range, message: string, severity: Severity = 'error') =>
    problems.push({ ruleId: CONFIG_RULE, severity, message, file, range });
  // Rule ids are the file's own words: `__proto__` is a key like any other, never a prototype.
  const config: AgentgovConfig = { rules: Object.create(null) as Record<string, RuleLevel>, replaceDefaults: false };
  const model: ConfigFileModel = { config, problems, rules: [] };
  const root = parsed.root;
  // An empty file, or one with only comments, configures nothing.
  if (!root || root.kind === 'null') return model;
  if (root.kind !== 'object') {
    report(
      root.range,
      `The configuration must be a mapping of keys (${Object.keys(CONFIG_KEYS).join(', ')}); found ${describeKind(root)}.`,
    );
    return model;
  }
  unknownKeys(root, Object.keys(CONFIG_KEYS), 'the configuration', report);
  for (const e of root.entries) {
    if (e.key === 'rules') readRules(e, model, report);
    else if (e.key === 'maxCredentialTtl') readTtl(e, config, report);
    else if (e.key === 'risk') readRisk(e, config, report);
    else if (e.key === 'rulesPath') {
      const v = e.value;
      if (v.kind === 'string' && v.value.trim()) {
        config.rulesPath = v.value.trim();
        model.rulesPathRange = v.range;
      } else if (v.kind !== 'null')
        report(v.range, `\`rulesPath\` must be a folder path such as \`.agentgov/rules\`; found ${found(v)}.`);
    }
  }
  return model;
}

type Report = (range: Range, message: string, severity?: Severity) => void;

function unknownKeys(obj: LocatedObject, allowed: string[], where: string, report: Report): void {
  for (const e of obj.entries) {
    if (allowed.includes(e.key)) continue;
    const guess = didYouMean(e.key, allowed, { maxDistance: 3, ignoreCase: true });
    report(
      e.keyRange,
      `Unknown key \`${e.key}\` in ${where}${guess ? `; did you mean \`${guess}\`?` : ` (known: ${allowed.join(', ')}).`} It is ignored.`,
      'warning',
    );
  }
}

/** `30m` as a string, or a number of seconds: how a value is named in a message. */
function found(v: LocatedValue): string {
  if (v.kind === 'string') return `\`${v.value.length > 80 ? `${v.value.slice(0, 80)}…` : v.value}\``;
  if (v.kind === 'number' || v.kind === 'boolean') return `\`${String(v.value)}\``;
  return describeKind(v);
}

function readRules(e: LocatedEntry, model: ConfigFileModel, report: Report): void {
  const v = e.value;
  if (v.kind === 'null') return;
  if (v.kind !== 'object') {
    report(
      v.range,
      `\`rules\` must be a mapping of rule ids to ${RULE_LEVELS.join(', ')} (\`AG008: off\`); found ${describeKind(v)}.`,
    );
    return;
  }
  for (const r of v.entries) {
    model.rules.push({ id: r.key, keyRange: r.keyRange });
    const level = r.value;
    if (level.kind === 'string' && (RULE_LEVELS as readonly string[]).includes(level.value)) {
      model.config.rules[r.key] = level.value as RuleLevel;
      continue;
    }
    const text = level.kind === 'string' ? level.value : undefined;
    const guess = text !== undefined ? didYouMean(text, RULE_LEVELS, { maxDistance: 2, ignoreCase: true }) : undefined;
    const hint =
      level.kind === 'boolean' && !level.value
        ? ' (write `off` to turn the rule off)'
        : guess
          ? ` (did you mean \`${guess}\`?)`
          : '';
    const where = level.kind === 'null' ? r.keyRange : level.range;
    report(
      where,
      `\`rules.${r.key}\` must be one of ${RULE_LEVELS.join(', ')}; found ${found(level)}${hint}. The rule keeps its default.`,
    );
  }
}

function readTtl(e: LocatedEntry, config: AgentgovConfig, report: Report): void {
  const v = e.value;
  const text =
    v.kind === 'string' ? v.value.trim() : v.kind === 'number' && Number.isInteger(v.value) ? String(v.value) : undefined;
  const seconds = text === undefined ? undefined : parseDuration(text);
  if (seconds !== undefined) {
    config.maxCredentialTtl = /^\d+$/.test(text!) ? `${text}s` : text;
    return;
  }
  report(
    v.kind === 'null' ? e.keyRange : v.range,
    `\`maxCredentialTtl\` must be a duration such as \`15m\`, \`1h\`, \`1h30m\`, \`2d\` or a number of seconds; found ${found(v)}. The default (1h) is used.`,
  );
}

function readRisk(e: LocatedEntry, config: AgentgovConfig, report: Report): void {
  const v = e.value;
  if (v.kind === 'null') return;
  if (v.kind !== 'object') {
    report(v.range, `\`risk\` must be a mapping with ${Object.keys(RISK_KEYS).join(', ')}; found ${describeKind(v)}.`);
    return;
  }
  unknownKeys(v, Object.keys(RISK_KEYS), '`risk`', report);
  for (const r of v.entries) {
    if (r.key === 'replaceDefaults') {
      if (r.value.kind === 'boolean') config.replaceDefaults = r.value.value;
      else report(r.value.range, `\`risk.replaceDefaults\` must be true or false; found ${found(r.value)}.`);
    } else if (r.key === 'highRiskKeywords' || r.key === 'readOnlyVerbs') {
      const words = readWords(r, report);
      if (words) config[r.key] = words;
    }
  }
}

const ONE_WORD = new RegExp(RISK_KEYWORD_PATTERN);

/** A list of words; a keyword that can never match a word of a name is said so where it is. */
function readWords(e: LocatedEntry, report: Report): string[] | undefined {
  const v = e.value;
  if (v.kind === 'null') return [];
  if (v.kind !== 'array') {
    report(v.range, `\`risk.${e.key}\` must be a list of words (\`[wire, approve]\`); found ${describeKind(v)}.`);
    return undefined;
  }
  const words: string[] = [];
  for (const item of v.items) {
    if (item.kind !== 'string' || !item.value.trim()) {
      report(
        item.range,
        `Each entry of \`risk.${e.key}\` must be a word; found ${item.kind === 'string' ? 'an empty string' : found(item)}.`,
      );
      continue;
    }
    const word = item.value.trim();
    if (e.key === 'highRiskKeywords' && !ONE_WORD.test(word)) {
      const parts = word.split(/[^A-Za-z0-9]+/).filter(Boolean);
      report(
        item.range,
        `\`${word}\` never matches: keywords are matched against single words of a tool's name (\`wire_funds\` → wire, funds)${parts.length ? `; list ${parts.map((p) => `\`${p}\``).join(' and ')} instead` : ''}.`,
        'warning',
      );
      continue;
    }
    words.push(word);
  }
  return words;
}
