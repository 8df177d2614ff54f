// The Agent Governance view (SPEC §8): agents with the tools they may call, and the tools no
// agent is bound to. Data from the language server's `agentgov/inventory` request.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  InventoryChangedNotification,
  InventoryRequest,
  type InventoryAgentItem,
  type InventoryResult,
  type InventoryToolItem,
} from '../../server/src/protocol';

export const VIEW_ID = 'agentgov.governance';
export const OPEN_COMMAND = 'agentgov.governance.openDefinition';
export const REFRESH_COMMAND = 'agentgov.governance.refresh';

type Node =
  | { kind: 'agent'; agent: InventoryAgentItem; tools: InventoryToolItem[] }
  | { kind: 'tool'; tool: InventoryToolItem; parent: string }
  | { kind: 'unknown'; agent: InventoryAgentItem; ref: string }
  | { kind: 'unbound'; tools: InventoryToolItem[] };

/** A tree item as the user sees it, with its children (for the end-to-end tests). */
export interface RenderedNode {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  command?: { command: string; arguments: unknown[] };
  children: RenderedNode[];
}

const IDENTITY_ICONS: Record<string, string> = { workload: 'server-process', human: 'person', 'service-account': 'key' };
const RISK_ICONS = {
  high: new vscode.ThemeIcon('flame', new vscode.ThemeColor('charts.red')),
  medium: new vscode.ThemeIcon('tools', new vscode.ThemeColor('charts.yellow')),
  low: new vscode.ThemeIcon('eye', new vscode.ThemeColor('charts.green')),
};

const qualified = (t: InventoryToolItem) => (t.server ? `${t.server}/${t.name}` : t.name);
const refersTo = (ref: string, t: InventoryToolItem) => ref === qualified(t) || ref === t.name;
const openCommand = (title: string, uri: string, range: InventoryToolItem['range']): vscode.Command => ({
  command: OPEN_COMMAND,
  title,
  arguments: [uri, range],
});

export class GovernanceTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private data: Promise<InventoryResult> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly ready: Promise<void>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Asks the server again now. */
  refresh(): void {
    clearTimeout(this.timer);
    this.data = undefined;
    this.changed.fire();
  }

  /** Asks the server again after a quiet 300 ms (the server re-checks files in bursts). */
  refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 300);
  }

  /** The inventory notification: call once the client is constructed. */
  listen(): vscode.Disposable {
    return this.client.onNotification(InventoryChangedNotification, () => this.refreshSoon());
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }

  /** The inventory the view shows, asked of the server when there is none yet. */
  snapshot(): Promise<InventoryResult> {
    return this.inventory();
  }

  private inventory(): Promise<InventoryResult> {
    this.data ??= this.ready
      .then(() => this.client.sendRequest(InventoryRequest))
      .then((r) => r ?? { tools: [], agents: [] })
      .catch((e: unknown) => {
        this.log.warn(`Governance view: inventory request failed: ${e instanceof Error ? e.message : String(e)}`);
        this.data = undefined;
        return { tools: [], agents: [] };
      });
    return this.data;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'unbound') return node.tools.map((tool) => ({ kind: 'tool', tool, parent: 'unbound' }));
    if (node?.kind === 'agent') {
      const { agent, tools } = node;
      const nodes: Node[] = [];
      for (const ref of agent.tools) {
        const tool = tools.find((t) => refersTo(ref, t));
        nodes.push(tool ? { kind: 'tool', tool, parent: agent.name } : { kind: 'unknown', agent, ref });
      }
      for (const ref of agent.unknownTools) if (!agent.tools.includes(ref)) nodes.push({ kind: 'unknown', agent, ref });
      return nodes;
    }
    if (node) return [];
    const inv = await this.inventory();
    const roots: Node[] = [...inv.agents]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((agent) => ({ kind: 'agent', agent, tools: inv.tools.filter((t) => t.agents.includes(agent.name)) }));
    const unbound = inv.tools.filter((t) => t.agents.length === 0);
    if (unbound.length) roots.push({ kind: 'unbound', tools: unbound });
    return roots;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'agent': {
        const a = node.agent;
        const item = new vscode.TreeItem(a.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = a.principal;
        item.iconPath = new vscode.ThemeIcon(IDENTITY_ICONS[a.identityType ?? ''] ?? 'hubot');
        item.tooltip = new vscode.MarkdownString(
          [
            `**${a.name}**`,
            `Principal: \`${a.principal ?? '(none)'}\``,
            `Identity: ${a.identityType ?? '(none)'}`,
            `Audit: ${a.audit ?? '(none)'}`,
          ].join('\n\n'),
        );
        item.contextValue = 'agent';
        item.command = openCommand('Open Binding', a.uri, a.range);
        return item;
      }
      case 'tool': {
        const t = node.tool;
        const item = new vscode.TreeItem(qualified(t), vscode.TreeItemCollapsibleState.None);
        item.description = `${t.risk} risk`;
        item.iconPath = RISK_ICONS[t.risk];
        item.tooltip = toolTooltip(t);
        item.contextValue = 'tool';
        item.command = openCommand('Open Tool', t.uri, t.range);
        return item;
      }
      case 'unknown': {
        const item = new vscode.TreeItem(node.ref, vscode.TreeItemCollapsibleState.None);
        item.description = 'unknown tool';
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.tooltip = `${node.agent.name} lists "${node.ref}", but no tool of that name was found in the workspace.`;
        item.command = openCommand('Open Binding', node.agent.uri, node.agent.range);
        return item;
      }
      case 'unbound': {
        const item = new vscode.TreeItem('Tools no agent is bound to', vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.tools.length}`;
        item.iconPath = new vscode.ThemeIcon('question');
        item.tooltip = 'Tools that no identity binding lists: no agent identity is accountable for their calls.';
        return item;
      }
    }
  }

  /** The whole tree as rendered by getChildren/getTreeItem (for the end-to-end tests). */
  async render(node?: Node): Promise<RenderedNode[]> {
    const out: RenderedNode[] = [];
    for (const child of await this.getChildren(node)) {
      const item = this.getTreeItem(child);
      out.push({
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: typeof item.description === 'string' ? item.description : undefined,
        tooltip: typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value,
        icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
        command: item.command ? { command: item.command.command, arguments: item.command.arguments ?? [] } : undefined,
        children: await this.render(child),
      });
    }
    return out;
  }
}

function toolTooltip(t: InventoryToolItem): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${qualified(t)}** — ${t.risk} risk`);
  if (t.riskReason) md.appendText(` (${t.riskReason})`);
  if (t.description) md.appendMarkdown('\n\n').appendText(t.description);
  if (t.inputFields.length) {
    md.appendMarkdown('\n\nInput:\n');
    for (const f of t.inputFields) {
      md.appendMarkdown(`\n- \`${f.name}${f.required ? '' : '?'}: ${f.type}\``);
      if (f.description) md.appendText(` — ${f.description}`);
    }
  }
  md.appendMarkdown('\n\n').appendText(`Agents: ${t.agents.length ? t.agents.join(', ') : 'none'} · source: ${t.source}`);
  return md;
}

/** Opens a definition the view points at: `uri` + `range` (plain LSP shapes or VS Code objects). */
export async function openDefinition(uri: string | vscode.Uri, range?: InventoryToolItem['range'] | vscode.Range): Promise<void> {
  const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
  const selection = range
    ? new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character)
    : undefined;
  await vscode.window.showTextDocument(target, { selection, preview: true });
}

/** The view, its provider and its commands. */
export function registerGovernanceView(
  client: BaseLanguageClient,
  ready: Promise<void>,
  log: vscode.LogOutputChannel,
): { provider: GovernanceTreeProvider; disposable: vscode.Disposable } {
  const provider = new GovernanceTreeProvider(client, ready, log);
  const disposable = vscode.Disposable.from(
    provider,
    provider.listen(),
    vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true }),
    vscode.commands.registerCommand(REFRESH_COMMAND, () => provider.refresh()),
    vscode.commands.registerCommand(OPEN_COMMAND, openDefinition),
  );
  return { provider, disposable };
}
