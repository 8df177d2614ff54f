// Policies no request test exercises, marked in the editor: a gutter icon on the policy's first
// line, whose hover says why and offers to generate tests from today's decisions. Turned off by
// `agentgov.tests.markUntestedPolicies`.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { GENERATE_REQUEST_TESTS_COMMAND, UntestedPoliciesRequest, type UntestedPolicyItem } from '../../../server/src/protocol';

export const MARK_SETTING = 'agentgov.tests.markUntestedPolicies';

// A hollow ring in the editor's warning amber, readable on light and dark backgrounds alike.
const ICON = vscode.Uri.parse(
  `data:image/svg+xml;base64,${Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
      '<circle cx="8" cy="8" r="4.5" fill="none" stroke="#d39e00" stroke-width="2"/></svg>',
  ).toString('base64')}`,
);

function hoverFor(p: UntestedPolicyItem): vscode.MarkdownString {
  const args = encodeURIComponent(JSON.stringify([p.uri, p.id]));
  const md = new vscode.MarkdownString(
    `**Untested policy** \`${p.id}\`: no request of a \`*.cedartests.json\` file makes this ${p.effect} ` +
      `determining or satisfies its condition, so a change to it would fail no test.\n\n` +
      `[Generate request tests from today's decisions](command:${GENERATE_REQUEST_TESTS_COMMAND}?${args})`,
  );
  md.isTrusted = { enabledCommands: [GENERATE_REQUEST_TESTS_COMMAND] };
  return md;
}

export class UntestedMarks implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    gutterIconPath: ICON,
    gutterIconSize: '75%',
    overviewRulerColor: new vscode.ThemeColor('editorWarning.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly subscriptions: vscode.Disposable[] = [];
  private policies: UntestedPolicyItem[] = [];
  private timer: NodeJS.Timeout | undefined;
  private updating: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly ready: Promise<void>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.apply()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(MARK_SETTING)) this.refreshSoon(0);
      }),
    );
  }

  private get enabled(): boolean {
    return vscode.workspace.getConfiguration().get<boolean>(MARK_SETTING, true);
  }

  /** The policies marked now (for the end-to-end tests). */
  marked(): UntestedPolicyItem[] {
    return this.enabled ? this.policies : [];
  }

  /** Resolves once the marks show the latest answer. */
  settled(): Promise<void> {
    return this.updating;
  }

  /** Asks the server again after a quiet moment (changes come in bursts). */
  refreshSoon(delayMs = 400): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.updating = this.update();
    }, delayMs);
  }

  private async update(): Promise<void> {
    if (!this.enabled) {
      this.policies = [];
      this.apply();
      return;
    }
    try {
      await this.ready;
      this.policies = (await this.client.sendRequest(UntestedPoliciesRequest)).policies;
    } catch (e) {
      this.log.warn(`agentgov: untested policies: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.apply();
  }

  private apply(): void {
    const policies = this.enabled ? this.policies : [];
    for (const editor of vscode.window.visibleTextEditors) {
      const uri = editor.document.uri.toString();
      const doc = editor.document;
      const options = policies
        .filter((p) => vscode.Uri.parse(p.uri).toString() === uri && p.range.start.line < doc.lineCount)
        .map((p) => ({
          range: doc.lineAt(p.range.start.line).range,
          hoverMessage: hoverFor(p),
        }));
      editor.setDecorations(this.decoration, options);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.decoration.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
