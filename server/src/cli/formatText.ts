import type { CheckReport } from './findingsJson';

/** Compiler-style lines (`file:line:col  severity  message  [rule]`), then a summary (suppressed findings only counted). */
export function formatText(report: CheckReport, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.suppressed) continue;
    const where = `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    const sev =
      f.severity === 'error' ? paint('31', 'error') : f.severity === 'warning' ? paint('33', 'warning') : paint('36', f.severity);
    lines.push(`${paint('1', where)}  ${sev}  ${f.message}  ${paint('2', `[${f.ruleId}]`)}`);
    if (f.help) lines.push(`    help: ${f.help}`);
  }
  const s = report.summary;
  if (lines.length) lines.push('');
  lines.push(
    `${s.files} files, ${s.policies} policies, ${s.tools} tools, ${s.agents} agents: ${s.errors} errors, ${s.warnings} warnings${s.suppressed ? `, ${s.suppressed} suppressed` : ''}`,
  );
  return lines.join('\n');
}
