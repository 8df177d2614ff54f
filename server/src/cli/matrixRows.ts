import { type AccessMatrix, type CellDecision, identityText, type MatrixCell } from '../core/simulation';

/** One matrix cell as every output format shows it: plain strings, files relative. */
export interface MatrixRow {
  agent: string;
  /** `server/tool`, or the tool's name when its server is not known. */
  tool: string;
  risk: string;
  riskReason: string;
  decision: string;
  withApproval: string;
  policies: string;
  withApprovalPolicies: string;
  /** Where it depends on the input: when it is allowed; where Cedar could not decide: why. */
  condition: string;
  withApprovalCondition: string;
  identity: string;
  audit: string;
  listed: boolean;
  /** `file:line` of the binding's entry (its name when it does not list the tool) and of the tool's definition. */
  binding: string;
  definition: string;
}

const at = (display: (p: string) => string, l: { file: string; range: { start: { line: number } } }) =>
  `${display(l.file)}:${l.range.start.line + 1}`;

function condition(d: CellDecision): string {
  const parts = [d.residual?.text, d.undecided ? `not decided statically: ${d.undecided}` : undefined].filter(Boolean);
  return parts.join('; ');
}

export function matrixRow(c: MatrixCell, display: (p: string) => string): MatrixRow {
  return {
    agent: c.agent,
    tool: c.server ? `${c.server}/${c.tool}` : c.tool,
    risk: c.risk.level,
    riskReason: c.risk.reason,
    decision: c.decision,
    withApproval: c.withApproval,
    policies: c.without.policies.map((p) => p.id).join(', '),
    withApprovalPolicies: c.approved.policies.map((p) => p.id).join(', '),
    condition: condition(c.without),
    withApprovalCondition: condition(c.approved),
    identity: identityText(c.identity),
    audit: c.audit,
    listed: c.listed,
    binding: at(display, c.links.binding),
    definition: at(display, c.links.tool),
  };
}

/** `12 pairs. Without approval: 2 allow, 1 deny, 9 depend on the input. With approval: …` */
export function matrixSummary(m: AccessMatrix): string {
  const count = (pick: (c: MatrixCell) => string) => {
    const n = (o: string) => m.cells.filter((c) => pick(c) === o).length;
    return `${n('allow')} allow, ${n('deny')} deny, ${n('depends')} depend on the input`;
  };
  const pairs = `${m.cells.length} ${m.all ? 'agent × tool pairs' : 'bound agent × tool pairs'}`;
  const gaps = m.gaps.length ? ` ${m.gaps.length} not decided (see below).` : '';
  return `${pairs}. Without approval: ${count((c) => c.decision)}. With approval: ${count((c) => c.withApproval)}.${gaps}`;
}

/** Control characters (a hostile tool name's terminal escapes) written as `\u{1b}`. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}
