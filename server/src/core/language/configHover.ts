import { CONFIG_KEYS, RISK_KEYS } from '../config/configRules';
import type { GovernanceService } from '../service';
import type { Position } from '../text/range';
import { indentOf, parentKey } from './bindingCompletion';
import { describeRule } from './configCompletion';
import type { HoverResult } from './hover';

/**
 * Hover in `.agentgov/config.yaml`: on a rule id under `rules:`, the rule (its name, default
 * severity, why it matters, its page); on a key, what it sets.
 */
export function configHover(service: GovernanceService, path: string, pos: Position): HoverResult | undefined {
  const entry = service.file(path);
  if (entry?.kind !== 'config') return undefined;
  const lines = entry.text.split(/\r\n|\r|\n/);
  const line = lines[pos.line] ?? '';
  const m = /^(\s*)(["']?)([\w.-]+)\2\s*:/.exec(line);
  if (!m) return undefined;
  const start = m[1].length + m[2].length;
  const end = start + m[3].length;
  if (pos.character < start || pos.character > end) return undefined;
  const key = m[3];
  const range = { start: { line: pos.line, character: start }, end: { line: pos.line, character: end } };
  const parent = parentKey(lines, pos.line, indentOf(line));
  if (parent === 'rules') {
    const rule = service.rulesFor(path).find((r) => r.ruleId === key);
    return rule ? { markdown: describeRule(rule), range } : undefined;
  }
  const docs: Record<string, string> | undefined =
    parent === 'risk' ? RISK_KEYS : !parent && indentOf(line) === 0 ? CONFIG_KEYS : undefined;
  const doc = docs && Object.hasOwn(docs, key) ? docs[key] : undefined;
  return doc ? { markdown: `**${parent ? `${parent}.` : ''}${key}**\n\n${doc}`, range } : undefined;
}
