import type { AccessMatrix } from '../core/simulation';
import { matrixRow, matrixSummary, printable } from './matrixRows';

/** Aligned columns, one row per cell; the condition of a cell that depends on the input on the lines below it. */
export function matrixText(m: AccessMatrix, display: (p: string) => string): string {
  const rows = m.cells.map((c) => matrixRow(c, display));
  const header = ['AGENT', 'TOOL', 'RISK', 'WITHOUT APPROVAL', 'WITH APPROVAL', 'POLICIES', 'IDENTITY', 'AUDIT'];
  const table = rows.map((r) =>
    [
      r.agent,
      `${r.tool}${r.listed ? '' : ' (not listed)'}`,
      r.risk,
      r.decision,
      r.withApproval,
      r.policies || '-',
      r.identity,
      r.audit,
    ].map(printable),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  rows.forEach((r, i) => {
    out.push(line(table[i]));
    if (r.condition) out.push(`    without approval: ${printable(r.condition)}`);
    if (r.withApprovalCondition && r.withApprovalCondition !== r.condition)
      out.push(`    with approval:    ${printable(r.withApprovalCondition)}`);
  });
  if (m.gaps.length) {
    out.push('', 'Not decided:');
    for (const g of m.gaps)
      out.push(
        `  ${printable(g.agent)}${g.tool ? ` → ${printable(g.tool)}` : ''}: ${printable(g.reason)}  [${printable(display(g.link.file))}:${g.link.range.start.line + 1}]`,
      );
  }
  out.push('', matrixSummary(m));
  return out.join('\n');
}
