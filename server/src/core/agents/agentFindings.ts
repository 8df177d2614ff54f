import type { FrameworkRef, Finding } from '../findings/finding';
import type { DiscoveryProblem } from '../tools/model';
import { didYouMean } from '../text/didYouMean';
import { redactSecrets } from '../tools/secrets';
import type { AgentView } from './agentIndex';

/** The kinds of agent-side files: identity bindings, MCP configs, tool code and lists. */
export type AgentArea = 'binding' | 'mcp-config' | 'tools';

/** The rule a reader's problems in each kind of agent-side file are reported under. */
export const RULE_OF_AREA: Record<AgentArea, string> = {
  binding: 'agentgov-binding',
  'mcp-config': 'agentgov-mcp-config',
  tools: 'agentgov-tools',
};

/** SPEC §6 AG003's mappings (notes/frameworks.md). */
const AG003_FRAMEWORKS: FrameworkRef[] = [
  { framework: 'NIST-AI-RMF', id: 'GOVERN 1.6' },
  { framework: 'NIST-AI-RMF', id: 'MAP 3.3' },
];

/** A reader's problem as a finding; the message never shows a literal secret whole (it may quote the file). */
export function problemFinding(p: DiscoveryProblem, area: AgentArea): Finding {
  return { ruleId: RULE_OF_AREA[area], severity: p.severity, message: redactSecrets(p.message), file: p.file, range: p.range };
}

/** AG003 for a binding: every listed tool that exists nowhere in the workspace. */
export function unknownToolFindings(index: AgentView, path: string): Finding[] {
  const binding = index.binding(path);
  if (!binding) return [];
  const unknown = binding.tools.filter((ref) => !index.resolve(ref).length);
  if (!unknown.length) return [];
  const known = index.tools().filter((t) => t.nameKnown);
  return unknown.map((ref) => {
    const sameName = known.filter((t) => t.name === ref.tool);
    const nearest = didYouMean(ref.tool, new Set(known.map((t) => t.name)), {
      maxDistance: Math.max(2, Math.floor(ref.tool.length / 3)),
    });
    const help = sameName.length
      ? `"${ref.tool}" exists on ${sameName.map((t) => `server "${t.server ?? '?'}"`).join(', ')}, not on "${ref.server}".`
      : nearest
        ? `Did you mean "${nearest}"? Otherwise define the tool or remove it from the binding.`
        : 'Define the tool, fix its name, or remove it from the binding.';
    return {
      ruleId: 'AG003',
      severity: 'warning' as const,
      message: `Agent "${binding.name}" lists tool "${ref.ref}", which exists nowhere in the workspace.`,
      file: path,
      range: ref.range,
      agent: binding.name,
      tool: ref.tool,
      help,
      frameworks: AG003_FRAMEWORKS,
    };
  });
}
