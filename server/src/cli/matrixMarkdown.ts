import type { AccessMatrix } from '../core/simulation';
import { matrixRow, matrixSummary, printable } from './matrixRows';

/**
 * A code span that stays one table cell whatever it holds: a fence longer than any run of
 * backticks inside, `|` escaped (GitHub's tables split on it even inside code), line breaks as
 * spaces, control characters written out. Inside a code span nothing else is markup.
 */
export function mdCode(s: string): string {
  if (!s) return '';
  const flat = printable(s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || /^ .* $/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text in a table cell: markup characters escaped, so a name cannot become a link, HTML or another column. */
export function mdText(s: string): string {
  return printable(s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')).replace(/[\\`*_{}[\]()#+!|~<>&]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
  );
}

/** A Markdown table (GitHub flavour) for a review document, then what could not be decided. */
export function matrixMarkdown(m: AccessMatrix, display: (p: string) => string): string {
  const rows = m.cells.map((c) => matrixRow(c, display));
  const out = [
    `# Access matrix`,
    '',
    mdText(matrixSummary(m)),
    '',
    '| Agent | Tool | Risk | Without approval | With approval | Policies | Allowed when | Identity | Audit |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const when = [
      r.condition ? `without approval: ${mdCode(r.condition)}` : '',
      r.withApprovalCondition && r.withApprovalCondition !== r.condition
        ? `with approval: ${mdCode(r.withApprovalCondition)}`
        : '',
    ].filter(Boolean);
    out.push(
      `| ${[
        mdCode(r.agent),
        `${mdCode(r.tool)}${r.listed ? '' : ' (not listed)'}`,
        `${mdText(r.risk)}`,
        mdText(r.decision),
        mdText(r.withApproval),
        mdCode(r.policies),
        when.join('<br>'),
        mdCode(r.identity),
        mdCode(r.audit),
      ].join(' | ')} |`,
    );
  }
  if (m.gaps.length) {
    out.push('', '## Not decided', '');
    for (const g of m.gaps)
      out.push(
        `- ${mdCode(g.agent)}${g.tool ? ` → ${mdCode(g.tool)}` : ''}: ${mdText(g.reason)} (${mdCode(`${display(g.link.file)}:${g.link.range.start.line + 1}`)})`,
      );
  }
  return out.join('\n');
}
