import type { AgentView, WorkspaceTool } from '../agents/agentIndex';
import { typeName } from '../agents/inventory';
import type { Range } from '../text/range';

const SOURCE_NAMES: Record<WorkspaceTool['source'], string> = {
  'mcp-sdk': 'MCP TypeScript SDK (registerTool)',
  'mcp-sdk-legacy': 'MCP TypeScript SDK (server.tool)',
  'vercel-ai': 'Vercel AI SDK',
  langchain: 'LangChain.js',
  'openai-agents': 'OpenAI Agents SDK',
  'mcp-json': 'MCP tool list',
  'openai-function': 'OpenAI function JSON',
};

/** Markdown for the agent tool behind an action: what it does, its inputs, risk, agents, source. */
export function describeTool(
  tool: WorkspaceTool,
  index: AgentView,
  where: (loc: { file: string; range: Range }) => string,
): string {
  const name = tool.server ? `${tool.server}/${tool.name}` : tool.name;
  const parts = [`**Tool** \`${name}\`${tool.description ? ` — ${tool.description}` : ''}`];
  parts.push(`Risk: **${tool.risk.level}** (${tool.risk.reason})`);
  const fields = tool.input?.fields ?? [];
  if (fields.length) {
    parts.push(
      [
        '| input | type | |',
        '|---|---|---|',
        ...fields.map(
          (f) =>
            `| \`${f.name}\` | ${typeName(f.type).replace(/\|/g, '\\|')} | ${f.required ? 'required' : 'optional'}${f.description ? ` — ${f.description}` : ''} |`,
        ),
      ].join('\n'),
    );
  } else if (tool.input?.unknownReason) parts.push(`Inputs not statically known: ${tool.input.unknownReason}`);
  else parts.push('No inputs.');
  if (tool.needsApproval !== undefined)
    parts.push(`SDK approval: \`needsApproval: ${tool.needsApproval === 'dynamic' ? '(function)' : tool.needsApproval}\``);
  const agents = index.agentsOf(tool).map((b) => `\`${b.name}\``);
  parts.push(
    agents.length
      ? `Agents bound to it: ${agents.join(', ')}`
      : 'No agent is bound to it: no identity is accountable for its calls.',
  );
  parts.push(`Defined in ${where({ file: tool.file, range: tool.nameRange })} (${SOURCE_NAMES[tool.source]})`);
  return parts.join('\n\n');
}

/** The tools an action stands for: same name, known statically. */
export function toolsOfAction(index: AgentView, actionId: string): WorkspaceTool[] {
  return index.tools().filter((t) => t.nameKnown && t.name === actionId);
}
