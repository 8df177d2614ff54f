// The access matrix as HTML fragments for its webview (no VS Code API here, so it is tested on
// plain strings). Every value from the workspace goes through `escapeHtml`, in text and in
// attributes alike; what a click opens travels as an index into `links`, never as a URI.
import type { AccessMatrixResult, MatrixCellItem, MatrixDecisionItem, MatrixLink } from '../../../server/src/protocol';

/** Text safe in HTML content and in quoted attribute values: every character that can end either is a character reference. */
export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped text that may wrap after a `/` or `@` (URLs and SPIFFE ids are long words). */
function wrappable(s: string): string {
  // After escaping, the text holds no markup of its own: the `<wbr>`s are the only tags.
  return escapeHtml(s).replace(/([/@])(?=[^/@])/g, '$1<wbr>');
}

/** What the webview shows of one matrix, and the places its clicks open (by `data-link` index). */
export interface RenderedMatrix {
  /** `<tr>` rows of the table body, one per agent × tool. */
  rows: string;
  /** `<li>` items: what the matrix could not decide. */
  gaps: string;
  summary: string;
  /** `<option>`s of the agent and tool filters (the empty value first: any). */
  agentOptions: string;
  toolOptions: string;
  links: MatrixLink[];
}

const OUTCOME_TITLE = { allow: 'allowed', deny: 'denied', depends: 'depends on the input' } as const;

export const toolName = (c: Pick<MatrixCellItem, 'server' | 'tool'>): string => (c.server ? `${c.server}/${c.tool}` : c.tool);

const sameIds = (a: MatrixDecisionItem, b: MatrixDecisionItem) =>
  a.policies.map((p) => p.id).join('\n') === b.policies.map((p) => p.id).join('\n');

/** `12 bound agent × tool pairs. Without approval: 1 allow, 2 deny, 9 depend on the input. With approval: …` */
export function summaryText(m: AccessMatrixResult): string {
  const count = (pick: (c: MatrixCellItem) => MatrixDecisionItem) => {
    const n = (o: string) => m.cells.filter((c) => pick(c).outcome === o).length;
    return `${n('allow')} allow, ${n('deny')} deny, ${n('depends')} depend on the input`;
  };
  const pairs = `${m.cells.length} ${m.all ? 'agent × tool pairs' : 'bound agent × tool pairs'}`;
  const gaps = m.gaps.length ? ` ${m.gaps.length} not decided (below).` : '';
  return `${pairs}. Without approval: ${count((c) => c.without)}. With approval: ${count((c) => c.withApproval)}.${gaps}`;
}

function options(values: string[]): string {
  const sorted = [...new Set(values)].sort((a, b) => a.localeCompare(b));
  return [
    '<option value="">any</option>',
    ...sorted.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`),
  ].join('');
}

/** The matrix as rows, gaps and filter options; `links[i]` is what an element with `data-link="i"` opens. */
export function renderMatrix(m: AccessMatrixResult): RenderedMatrix {
  const links: MatrixLink[] = [];
  const linkOf = (l: MatrixLink): number => links.push({ uri: l.uri, range: l.range }) - 1;

  const policyList = (d: MatrixDecisionItem) =>
    d.policies
      .map(
        (p) =>
          `<a href="#" class="policy ${p.effect}" data-link="${linkOf(p)}" title="Open ${p.effect} ${escapeHtml(p.id)}">${escapeHtml(p.id)}</a>`,
      )
      .join(', ');

  const decisionCell = (which: 'without' | 'approved', d: MatrixDecisionItem) => {
    // A click on the cell opens its first policy; a deny no policy determines opens nothing.
    const first = d.policies[0];
    const open = first
      ? ` data-link="${linkOf(first)}" tabindex="0" title="${OUTCOME_TITLE[d.outcome]}: open ${escapeHtml(first.id)}"`
      : ` title="${OUTCOME_TITLE[d.outcome]}: no policy permits it"`;
    const note = d.undecided ? '<div class="sub">not decided statically</div>' : '';
    return `<td class="decision ${which} ${d.outcome}${first ? ' link' : ''}"${open}><span class="outcome ${d.outcome}">${d.outcome}</span>${note}</td>`;
  };

  const condition = (c: MatrixCellItem) => {
    const lines: string[] = [];
    const line = (label: string, d: MatrixDecisionItem) => {
      if (d.residual) lines.push(`<div>${label}<code>${escapeHtml(d.residual)}</code></div>`);
      if (d.undecided) lines.push(`<div class="sub">${label}not decided statically: ${escapeHtml(d.undecided)}</div>`);
    };
    line('', c.without);
    if (c.withApproval.residual !== c.without.residual || c.withApproval.undecided !== c.without.undecided)
      line('<span class="label">with approval:</span> ', c.withApproval);
    return lines.join('');
  };

  const policies = (c: MatrixCellItem) => {
    const without = policyList(c.without) || '<span class="sub">none</span>';
    if (sameIds(c.without, c.withApproval)) return without;
    return `${without}<div><span class="label">with approval:</span> ${policyList(c.withApproval) || '<span class="sub">none</span>'}</div>`;
  };

  const rows = m.cells.map((c) => {
    const tool = toolName(c);
    const data = { agent: c.agent, tool, risk: c.risk.level, decision: `${c.without.outcome} ${c.withApproval.outcome}` };
    const attrs = Object.entries(data)
      .map(([k, v]) => `data-${k}="${escapeHtml(v)}"`)
      .join(' ');
    return [
      `<tr ${attrs}>`,
      `<td class="agent link" data-link="${linkOf(c.binding)}" tabindex="0" title="Open the binding of ${escapeHtml(c.agent)}">${escapeHtml(c.agent)}</td>`,
      `<td class="tool link" data-link="${linkOf(c.definition)}" tabindex="0" title="Open the definition of ${escapeHtml(tool)}">${wrappable(tool)}${c.listed ? '' : ' <span class="sub">not listed</span>'}</td>`,
      decisionCell('without', c.without),
      decisionCell('approved', c.withApproval),
      `<td class="condition">${condition(c)}</td>`,
      `<td class="policies">${policies(c)}</td>`,
      `<td class="identity">${[c.identity, ...c.credentials].map((x) => `<div>${wrappable(x)}</div>`).join('')}</td>`,
      `<td class="audit${c.audit === 'none' ? ' missing' : ''}">${wrappable(c.audit)}</td>`,
      `<td class="risk"><span class="risk ${escapeHtml(c.risk.level)}">${escapeHtml(c.risk.level)}</span><div class="sub">${escapeHtml(c.risk.reason)}</div></td>`,
      '</tr>',
    ].join('');
  });

  const gaps = m.gaps.map(
    (g) =>
      `<li><a href="#" data-link="${linkOf(g)}">${escapeHtml(g.agent)}${g.tool ? ` → ${escapeHtml(g.tool)}` : ''}</a>: ${escapeHtml(g.reason)}</li>`,
  );

  return {
    rows: rows.join('\n'),
    gaps: gaps.join('\n'),
    summary: summaryText(m),
    agentOptions: options(m.cells.map((c) => c.agent)),
    toolOptions: options(m.cells.map(toolName)),
    links,
  };
}
