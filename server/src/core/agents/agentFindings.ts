import type { Finding } from '../findings/finding';
import type { DiscoveryProblem } from '../tools/model';
import { redactSecrets } from '../tools/secrets';

/** The kinds of agent-side files: identity bindings, MCP configs, tool code and lists. */
export type AgentArea = 'binding' | 'mcp-config' | 'tools';

/** The rule a reader's problems in each kind of agent-side file are reported under. */
export const RULE_OF_AREA: Record<AgentArea, string> = {
  binding: 'agentgov-binding',
  'mcp-config': 'agentgov-mcp-config',
  tools: 'agentgov-tools',
};

/** A reader's problem as a finding; the message never shows a literal secret whole (it may quote the file). */
export function problemFinding(p: DiscoveryProblem, area: AgentArea): Finding {
  return { ruleId: RULE_OF_AREA[area], severity: p.severity, message: redactSecrets(p.message), file: p.file, range: p.range };
}
