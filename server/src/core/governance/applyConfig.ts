import type { AgentgovConfig } from '../config/readConfig';
import type { Finding } from '../findings/finding';
import type { RulePack } from './rulePack';

/**
 * A folder's `rules:` applied to its governance findings: a rule set `off` says nothing, a
 * re-levelled one says it at its new severity (which the CLI's exit code, JSON and SARIF follow).
 * Only the pack's rules are configurable: problems with the rules themselves always show.
 */
export function applyConfig(findings: Finding[], pack: RulePack, config: AgentgovConfig): Finding[] {
  const levels = Object.entries(config.rules);
  if (!levels.length) return findings;
  const ids = new Set(pack.rules().map((r) => r.ruleId));
  const level = new Map(levels.filter(([id]) => ids.has(id)));
  const out: Finding[] = [];
  for (const f of findings) {
    const l = level.get(f.ruleId);
    if (l === 'off') continue;
    out.push(l && l !== f.severity ? { ...f, severity: l } : f);
  }
  return out;
}
