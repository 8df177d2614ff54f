import { type SimulationAnswer, uidText } from '../core/simulation';
import { exactJsonText } from '../core/text/losslessJson';

const where = (file: string, range: { start: { line: number; character: number } }) =>
  `${file}:${range.start.line + 1}:${range.start.character + 1}`;

/** A readable answer: the decision first, then why (policy ids with their places), then the request as Cedar got it. */
export function simulationText(a: SimulationAnswer, display: (p: string) => string): string {
  const lines: string[] = [];
  const subject = [
    a.agent ? `agent ${a.agent.name}` : uidText(a.request.principal),
    a.tool ? `tool ${a.tool.server ? `${a.tool.server}/` : ''}${a.tool.name}` : uidText(a.request.action),
  ];
  lines.push(`${a.decision ? a.decision.toUpperCase() : 'NOT DECIDED'}  ${subject.join(' → ')}`);
  if (a.decision) {
    if (a.determining.length) {
      lines.push(`  determined by:`);
      for (const p of a.determining) lines.push(`    ${p.effect} ${p.id}  ${where(display(p.file), p.range)}`);
    } else if (a.decision === 'deny') lines.push('  no policy allows it (denied by default)');
  }
  for (const e of a.errors)
    lines.push(
      `  error in policy ${e.policyId}${e.policy ? `  ${where(display(e.policy.file), e.policy.range)}` : ''}: ${e.message}`,
    );
  for (const f of a.failures) lines.push(`  Cedar: ${f}`);
  lines.push(
    `  principal ${uidText(a.request.principal)}`,
    `  action    ${uidText(a.request.action)}`,
    `  resource  ${uidText(a.request.resource)}`,
    `  context   ${exactJsonText(a.request.context)}`,
    `  ${a.validated ? 'request validated against the schema' : 'no schema: request not validated'}; ${a.ms.toFixed(1)} ms`,
  );
  return lines.join('\n');
}
