import { type CheckReport, toJsonFinding } from './findingsJson';
import { CedarPool } from '../core/cedar/gateway';
import { scanFolder } from './scanFolder';

const RANK: Record<string, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** Runs every check on a folder: the same core the language server uses. */
export async function runCheck(dir: string, stats?: (s: unknown) => void): Promise<CheckReport> {
  const started = performance.now();
  const service = scanFolder(dir, CedarPool.create()?.warm());
  const scanned = performance.now();
  const results = await service.checkAllAsync();
  await service.close();
  if (stats)
    stats({ scanMs: Math.round(scanned - started), checkMs: Math.round(performance.now() - scanned), ...service.stats() });
  const rel = (p: string) => service.displayPath(p);
  const findings = [...results.values()]
    .flat()
    .sort(
      (a, b) =>
        rel(a.file).localeCompare(rel(b.file)) ||
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character,
    )
    .map((f) => toJsonFinding(f, rel));
  const shown = findings.filter((f) => !f.suppressed);
  const policies = service
    .filesOf('policy')
    .filter((p) => !service.isRuleFile(p))
    .reduce((n, p) => n + (service.policyModel(p)?.statements.filter((s) => s.effect).length ?? 0), 0);
  return {
    version: 1,
    findings,
    summary: {
      files: results.size,
      tools: service.agents.tools().filter((t) => t.nameKnown).length,
      agents: service.agents.bindings().length,
      policies,
      errors: shown.filter((f) => f.severity === 'error').length,
      warnings: shown.filter((f) => f.severity === 'warning').length,
      suppressed: findings.length - shown.length,
    },
  };
}

/** Exit code 1 when any finding not suppressed is at or above the threshold (`none` never fails). */
export function failsAt(report: CheckReport, failOn: 'error' | 'warning' | 'none'): boolean {
  if (failOn === 'none') return false;
  return report.findings.some((f) => !f.suppressed && (RANK[f.severity] ?? 0) >= RANK[failOn]);
}
