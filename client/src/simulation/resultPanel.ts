// The result view of a simulation: one webview panel, re-used, showing the last request's answer.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type {
  SimulationAnswerItem,
  SimulationInputErrorItem,
  SimulationLink,
  SimulationRequestParams,
} from '../../../server/src/protocol';
import { resultHtml } from './resultHtml';

export type SimulationOutcome = SimulationAnswerItem | SimulationInputErrorItem;

/** What the panel's buttons ask for. */
export interface ResultActions {
  rerun(request: SimulationRequestParams): Promise<void>;
  saveAsTest(request: SimulationRequestParams, result: SimulationOutcome): Promise<void>;
  editContext(request: SimulationRequestParams): Promise<void>;
}

type Message =
  | { type: 'open'; uri: string; range: SimulationLink['range'] }
  | { type: 'rerun' }
  | { type: 'saveAsTest' }
  | { type: 'editContext' };

const where = (link: SimulationLink) =>
  `${vscode.workspace.asRelativePath(vscode.Uri.parse(link.uri))}:${link.range.start.line + 1}`;

export class ResultPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown:
    { request: SimulationRequestParams; result: SimulationOutcome; saved?: { message: string; passed: boolean } } | undefined;

  constructor(private readonly actions: ResultActions) {}

  /** The request and answer on show: what Re-run and Save as test… take. */
  get last(): { request: SimulationRequestParams; result: SimulationOutcome } | undefined {
    return this.shown;
  }

  show(request: SimulationRequestParams, result: SimulationOutcome): void {
    this.shown = { request, result };
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'agentgov.simulationResult',
        'Simulation',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: Message) => void this.receive(m));
    } else this.panel.reveal(undefined, true);
    this.panel.title = `Simulation: ${result.ok && result.decision ? result.decision : 'result'}`;
    this.render();
  }

  /** What the last save said, shown under the buttons. */
  noteSaved(saved: { message: string; passed: boolean }): void {
    if (!this.shown) return;
    this.shown.saved = saved;
    this.render();
  }

  private render(): void {
    if (!this.panel || !this.shown) return;
    const nonce = randomBytes(16).toString('hex');
    this.panel.webview.html = resultHtml({ ...this.shown, where }, nonce, this.panel.webview.cspSource);
  }

  private async receive(m: Message): Promise<void> {
    const shown = this.shown;
    if (m.type === 'open') {
      const r = m.range;
      const selection = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
      await vscode.window.showTextDocument(vscode.Uri.parse(m.uri), {
        selection,
        viewColumn: vscode.ViewColumn.One,
        preview: false,
      });
    } else if (shown && m.type === 'rerun') await this.actions.rerun(shown.request);
    else if (shown && m.type === 'saveAsTest') await this.actions.saveAsTest(shown.request, shown.result);
    else if (shown && m.type === 'editContext') await this.actions.editContext(shown.request);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
