import * as vscode from 'vscode';
import type { GovernanceTreeProvider } from './governanceView';

/**
 * A status bar item summing up the workspace's governance: agents, tools, and the findings of
 * agentgov. A click opens the Agent Governance view.
 */
export class GovernanceStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('agentgov.status', vscode.StatusBarAlignment.Left, 20);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private updating: Promise<void> = Promise.resolve();

  constructor(private readonly provider: GovernanceTreeProvider) {
    this.item.name = 'Agent Governance';
    this.item.command = 'agentgov.governance.focus';
    this.item.text = '$(shield) Agent Governance';
    this.item.show();
    this.subscriptions.push(
      provider.onDidChangeTreeData(() => this.updateSoon()),
      vscode.languages.onDidChangeDiagnostics(() => this.updateSoon()),
    );
    this.updateSoon();
  }

  /** The item's current text (for tests). */
  get text(): string {
    return this.item.text;
  }

  /** Resolves when the item shows the latest data. */
  settled(): Promise<void> {
    return this.updating;
  }

  private updateSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.updating = this.update();
    }, 200);
  }

  private async update(): Promise<void> {
    const inv = await this.provider.snapshot();
    let errors = 0;
    let warnings = 0;
    for (const [, diags] of vscode.languages.getDiagnostics()) {
      for (const d of diags) {
        if (d.source !== 'agentgov') continue;
        if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
      }
    }
    const high = inv.tools.filter((t) => t.risk === 'high').length;
    const unbound = inv.tools.filter((t) => !t.agents.length).length;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    this.item.text = `$(shield) ${plural(inv.agents.length, 'agent')} · ${plural(inv.tools.length, 'tool')}${errors ? ` $(error) ${errors}` : ''}${warnings ? ` $(warning) ${warnings}` : ''}`;
    const tooltip = new vscode.MarkdownString(
      [
        '**Cedar Agent Governance**',
        '',
        `- ${plural(inv.agents.length, 'agent')} with an identity binding`,
        `- ${plural(inv.tools.length, 'tool')}: ${high} high risk, ${unbound} bound to no agent`,
        `- ${plural(errors, 'error')} and ${plural(warnings, 'warning')} found by agentgov`,
        '',
        'Click to open the Agent Governance view.',
      ].join('\n'),
    );
    this.item.tooltip = tooltip;
    this.item.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
