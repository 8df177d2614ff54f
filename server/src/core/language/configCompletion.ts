import { CONFIG_KEYS, RISK_KEYS, RULE_LEVELS } from '../config/configRules';
import type { RuleInfo } from '../governance/rulePack';
import type { GovernanceService } from '../service';
import type { Position } from '../text/range';
import { indentOf, parentKey } from './bindingCompletion';
import type { CompletionInfo } from './completion';

const LEVEL_DOCS: Record<(typeof RULE_LEVELS)[number], string> = {
  off: 'The rule reports nothing in this workspace folder.',
  error: 'Findings are errors (`agentgov check` exits 1 on them by default).',
  warning: 'Findings are warnings.',
  info: 'Findings are information.',
  hint: 'Findings are hints (shown faintly in the editor).',
};

/** What a rule is, for its completion item and hover. */
export function describeRule(r: RuleInfo): string {
  return [
    `**${r.ruleId} ${r.name}** · default ${r.severity}${r.builtIn ? '' : ' · workspace rule'}`,
    ...(r.why ? [r.why] : []),
    ...(r.url ? [`[Rule documentation](${r.url})`] : []),
  ].join('\n\n');
}

/**
 * Completion in `.agentgov/config.yaml`, without needing a YAML extension: the keys at each
 * level, the rule ids of the folder's rules (built-in and its own) under `rules:`, their levels,
 * and `true`/`false`.
 */
export function configCompletion(service: GovernanceService, path: string, pos: Position): CompletionInfo[] {
  const entry = service.file(path);
  if (entry?.kind !== 'config') return [];
  const lines = entry.text.split(/\r\n|\r|\n/);
  const line = lines[pos.line] ?? '';
  const before = line.slice(0, pos.character);
  const parent = parentKey(lines, pos.line, indentOf(line));
  const word = /[\w.-]*$/.exec(before)![0];
  const range = { start: { line: pos.line, character: pos.character - word.length }, end: pos };

  const value = /^\s*([\w.-]+):\s*[\w-]*$/.exec(before);
  if (value) {
    const key = value[1];
    if (parent === 'rules')
      return RULE_LEVELS.map((l, i) => ({ label: l, kind: 'keyword', documentation: LEVEL_DOCS[l], range, sortText: `${i}` }));
    if (parent === 'risk' && key === 'replaceDefaults')
      return ['false', 'true'].map((v) => ({ label: v, kind: 'keyword', range }));
    if (!parent && key === 'maxCredentialTtl')
      return ['15m', '30m', '1h'].map((v) => ({ label: v, kind: 'keyword', detail: 'duration', range }));
    return [];
  }
  if (!/^\s*[\w.-]*$/.test(before)) return [];
  if (parent === 'rules') {
    const present = new Set(lines.map((l) => /^\s+([\w.-]+)\s*:/.exec(l)?.[1]));
    return service
      .rulesFor(path)
      .filter((r) => !present.has(r.ruleId) || r.ruleId === word)
      .map((r) => ({
        label: r.ruleId,
        kind: 'variable',
        detail: `${r.name} · ${r.severity}`,
        documentation: describeRule(r),
        insertText: `${r.ruleId}: `,
        range,
      }));
  }
  const keys: Record<string, string> | undefined =
    parent === 'risk' ? RISK_KEYS : !parent && indentOf(line) === 0 ? CONFIG_KEYS : undefined;
  return Object.entries(keys ?? {}).map(([k, doc]) => ({
    label: k,
    kind: 'attribute',
    documentation: doc,
    insertText: k === 'rules' || k === 'risk' ? `${k}:\n  ` : `${k}: `,
    range,
  }));
}
