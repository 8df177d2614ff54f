// The quick picks of "Simulate Request…": agent (principal), tool (action), resource (the tool's
// server by default). What a code lens pre-filled is not asked again.
import * as vscode from 'vscode';
import type { SimulationChoicesResult, SimulationTarget } from '../../../server/src/protocol';
import type { PendingRequest } from './contextDocuments';

type Agent = SimulationChoicesResult['agents'][number];
type Tool = SimulationChoicesResult['tools'][number];

const lists = (agent: Agent | undefined, tool: Tool) => !!agent?.tools.some((ref) => ref === tool.label || ref === tool.name);

async function pickAgent(choices: SimulationChoicesResult, tool: Tool | undefined): Promise<string | undefined> {
  const item = (a: Agent): vscode.QuickPickItem & { name: string } => ({
    label: a.name,
    name: a.name,
    description: a.principal,
    detail: a.tools.length ? `tools: ${a.tools.join(', ')}` : 'no tools',
  });
  // The agents whose binding lists the tool first: those are the calls that can happen.
  const listing = tool ? choices.agents.filter((a) => lists(a, tool)) : choices.agents;
  const others = tool ? choices.agents.filter((a) => !lists(a, tool)) : [];
  const items: (vscode.QuickPickItem & { name?: string })[] = [
    ...(tool && listing.length ? [{ label: `bound to ${tool.label}`, kind: vscode.QuickPickItemKind.Separator }] : []),
    ...listing.map(item),
    ...(others.length ? [{ label: 'other agents', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...others.map(item),
  ];
  if (!choices.agents.length) {
    void vscode.window.showWarningMessage('No agent binding (`*.agent.yaml`) in the workspace: there is no agent to simulate.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `Simulate${tool ? ` ${tool.label}` : ''}: which agent calls?`,
    placeHolder: 'Agent (the principal)',
    matchOnDescription: true,
  });
  return picked?.name;
}

async function pickTool(choices: SimulationChoicesResult, agentName: string): Promise<string | undefined> {
  const agent = choices.agents.find((a) => a.name === agentName);
  const item = (t: Tool): vscode.QuickPickItem & { label: string; tool: string } => ({
    label: t.label,
    tool: t.label,
    description: `${t.risk} risk · ${t.action}`,
    detail: t.description,
  });
  const listed = choices.tools.filter((t) => lists(agent, t));
  const others = choices.tools.filter((t) => !lists(agent, t));
  if (!choices.tools.length) {
    void vscode.window.showWarningMessage('No agent tool in the workspace: there is nothing to call.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    [
      ...(listed.length ? [{ label: `listed in ${agentName}'s binding`, kind: vscode.QuickPickItemKind.Separator }] : []),
      ...listed.map(item),
      ...(others.length ? [{ label: 'other tools', kind: vscode.QuickPickItemKind.Separator }] : []),
      ...others.map(item),
    ] as (vscode.QuickPickItem & { tool?: string })[],
    { title: `Simulate: which tool does ${agentName} call?`, placeHolder: 'Tool (the action)', matchOnDescription: true },
  );
  return picked?.tool;
}

const typeOf = (uid: string) => uid.slice(0, uid.lastIndexOf('::'));

/** The resource: the tool's server first (the default), then the other known uids of its type. */
async function pickResource(choices: SimulationChoicesResult, tool: Tool | undefined): Promise<string | undefined> {
  const fallback = tool?.resource;
  const candidates = fallback
    ? choices.resources.filter((r) => r !== fallback && typeOf(r) === typeOf(fallback))
    : choices.resources;
  if (fallback && !candidates.length) return fallback;
  const other = '$(edit) Another uid…';
  const picked = await vscode.window.showQuickPick(
    [
      ...(fallback ? [{ label: fallback, description: "the tool's server (default)" }] : []),
      ...candidates.map((r) => ({ label: r })),
      { label: other },
    ],
    {
      title: `Simulate: on which resource?`,
      placeHolder: fallback ? 'Resource (Enter: the tool’s server)' : 'Resource: the tool has no known server, give one',
    },
  );
  if (!picked) return undefined;
  if (picked.label !== other) return picked.label;
  const typed = await vscode.window.showInputBox({
    title: 'Simulate: resource',
    prompt: 'A Cedar entity uid, such as McpServer::"payments"',
    value: fallback ?? '',
    validateInput: (v) => (/::"/.test(v) ? undefined : 'A uid is written Type::"id".'),
  });
  return typed?.trim() || undefined;
}

/**
 * Asks for what the target leaves open: agent, tool, resource. Undefined when the person cancels.
 */
export async function pickRequest(
  choices: SimulationChoicesResult,
  target: SimulationTarget,
): Promise<PendingRequest | undefined> {
  const preTool = target.tool ? choices.tools.find((t) => t.label === target.tool || t.name === target.tool) : undefined;
  const principal = target.agent ?? (await pickAgent(choices, preTool));
  if (!principal) return undefined;
  const action = target.tool ?? (await pickTool(choices, principal));
  if (!action) return undefined;
  const tool = choices.tools.find((t) => t.label === action || t.name === action);
  const resource = await pickResource(choices, tool);
  return resource === undefined ? undefined : { principal, action, resource };
}
