import type { Finding } from '../core/findings/finding';

/** A finding as SPEC §9's JSON: `file` relative with `/`, optional fields only when known. */
export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  range: Finding['range'];
  help?: string;
  agent?: string;
  tool?: string;
  policy?: string;
  frameworks?: Finding['frameworks'];
  /** The rule's documentation page. */
  url?: string;
  /** The other parties of a finding: the permit, the binding, the tool. */
  related?: { file: string; range: Finding['range']; message: string }[];
  /** An `agentgov-ignore` comment covers it: not counted, never fails the check. */
  suppressed?: { reason: string };
}

export interface CheckReport {
  version: 1;
  findings: JsonFinding[];
  /** `errors` and `warnings` leave suppressed findings out; `suppressed` counts them. */
  summary: {
    files: number;
    tools: number;
    agents: number;
    policies: number;
    errors: number;
    warnings: number;
    suppressed: number;
  };
}

export function toJsonFinding(f: Finding, relative: (path: string) => string): JsonFinding {
  const out: JsonFinding = { ruleId: f.ruleId, severity: f.severity, message: f.message, file: relative(f.file), range: f.range };
  if (f.help) out.help = f.help;
  if (f.agent) out.agent = f.agent;
  if (f.tool) out.tool = f.tool;
  if (f.policy) out.policy = f.policy;
  if (f.frameworks) out.frameworks = f.frameworks;
  if (f.url) out.url = f.url;
  if (f.related?.length) out.related = f.related.map((r) => ({ ...r, file: relative(r.file) }));
  if (f.suppressed) out.suppressed = { reason: f.suppressed.reason };
  return out;
}
