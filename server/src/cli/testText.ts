import type { JsonTestResult, TestReport } from './testReport';

const list = (ids: string[] | undefined) => `[${(ids ?? []).join(', ')}]`;

/** What a failing result expected and got, on one line. */
function difference(r: JsonTestResult): string {
  if (r.error) return r.error;
  if (r.kind === 'validation') {
    const e = r.expected as { validates: boolean };
    const a = r.actual as { validates: boolean; errors: string[] };
    const said = a.validates ? 'the validator accepts the policies' : `the validator rejects them (${a.errors[0] ?? ''})`;
    return `expected shouldValidate ${e.validates}, but ${said}`;
  }
  const e = r.expected as { decision: string; reason?: string[]; errors?: string[] };
  const a = r.actual as { decision: string; reason: string[]; errors: string[] };
  const parts = [`expected ${e.decision}, got ${a.decision}`];
  if (r.mismatches?.includes('reason')) parts.push(`reasons: expected ${list(e.reason)}, got ${list(a.reason)}`);
  else if (r.mismatches?.includes('decision') && a.reason.length) parts.push(`by ${list(a.reason)}`);
  if (r.mismatches?.includes('errors')) parts.push(`erroring: expected ${list(e.errors)}, got ${list(a.errors)}`);
  const messages = r.errorMessages?.map((m) => `${m.policy}: ${m.message}`);
  if (messages?.length && r.mismatches?.includes('errors')) parts.push(`(${messages.join('; ')})`);
  return parts.join('; ');
}

/** `agentgov test`'s text: one line per failure (expected vs actual, `file:line`), the problems, coverage, a summary. */
export function formatTestText(report: TestReport, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const r of report.results) {
    if (r.passed) continue;
    const label = r.notRun ? paint('33', 'NOT RUN') : paint('31', 'FAIL');
    lines.push(`${label} ${paint('1', `${r.file}:${r.range.start.line + 1}`)}  ${r.description}: ${difference(r)}`);
  }
  for (const p of report.problems) {
    const sev = p.severity === 'error' ? paint('31', 'error') : paint('33', p.severity);
    lines.push(
      `${paint('1', `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}`)}  ${sev}  ${p.message}  ${paint('2', `[${p.ruleId}]`)}`,
    );
  }
  if (report.coverage) {
    if (lines.length) lines.push('');
    lines.push('Coverage: policies some request made determining (and satisfied)');
    for (const c of report.coverage) {
      lines.push(`  ${c.file}  ${c.determining}/${c.policies} determining, ${c.satisfied}/${c.policies} satisfied`);
      for (const p of c.byPolicy) {
        const mark = p.determining ? paint('32', '✓') : p.satisfied ? paint('33', '~') : paint('31', '✗');
        const use = p.determining
          ? `determining in ${p.determining}, satisfied in ${p.satisfied}`
          : p.satisfied
            ? `never determining, satisfied in ${p.satisfied}`
            : 'no request exercises it';
        lines.push(`    ${mark} ${p.id} (${p.effect}, line ${p.range.start.line + 1})  ${use}`);
      }
    }
  }
  const s = report.summary;
  if (lines.length) lines.push('');
  const failed = s.failed ? paint('31', `${s.failed} failed${s.notRun ? ` (${s.notRun} not run)` : ''}`) : '0 failed';
  const problems = s.problems ? `, ${paint('31', `${s.problems} problem${s.problems === 1 ? '' : 's'}`)}` : '';
  lines.push(`${s.passed} passed, ${failed}${problems} in ${s.files} test file${s.files === 1 ? '' : 's'} (${s.ms} ms)`);
  return lines.join('\n');
}
