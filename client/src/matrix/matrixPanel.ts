// The access matrix in the editor (SPEC §7): a webview of every bound agent × tool, decided by
// the language server (`agentgov/accessMatrix`), filtered in the page, each cell opening its
// source; refreshed when a check of the workspace settles (`agentgov/checked`).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { AccessMatrixRequest, type AccessMatrixResult, CheckedNotification, type MatrixLink } from '../../../server/src/protocol';
import { type FromWebview, isFromWebview, type ToWebview } from './messages';
import { matrixPage } from './page';
import { renderMatrix } from './render';

export const SHOW_MATRIX_COMMAND = 'agentgov.showAccessMatrix';
/** Not in the palette: what the open matrix shows (the end-to-end tests read it). */
export const MATRIX_STATE_COMMAND = 'agentgov.accessMatrix.state';

/** What the matrix panel shows now. */
export interface MatrixPanelState {
  open: boolean;
  visible: boolean;
  all: boolean;
  generation: number;
  /** Cells of the last answer, undefined before the first. */
  cells?: number;
  /** What the webview reported after placing the latest rows and applying its filters. */
  shown?: Extract<FromWebview, { type: 'shown' }>;
  /** The last place a click opened. */
  opened?: MatrixLink;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

class AccessMatrixPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private all = false;
  private last: AccessMatrixResult | undefined;
  private links: MatrixLink[] = [];
  private generation = 0;
  private shown: MatrixPanelState['shown'];
  private opened: MatrixLink | undefined;
  /** The workspace changed since the last answer (while the panel was hidden). */
  private stale = false;
  private loading: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly ready: Promise<void>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel('agentgov.accessMatrix', 'Access Matrix', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    this.panel = panel;
    panel.webview.html = matrixPage(randomBytes(18).toString('base64'), panel.webview.cspSource);
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (isFromWebview(m)) void this.onMessage(m);
    });
    panel.onDidChangeViewState(() => {
      if (panel.visible && this.stale) void this.refresh();
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.last = undefined;
      this.shown = undefined;
      this.links = [];
    });
  }

  /** A check settled: ask again after a quiet 300 ms (checks come in bursts while typing), or when next shown. */
  workspaceChanged(): void {
    if (!this.panel) return;
    this.stale = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.panel?.visible) void this.refresh();
    }, 300);
  }

  state(): MatrixPanelState {
    return {
      open: !!this.panel,
      visible: !!this.panel?.visible,
      all: this.all,
      generation: this.generation,
      ...(this.last ? { cells: this.last.cells.length } : {}),
      ...(this.shown?.generation === this.generation ? { shown: this.shown } : {}),
      ...(this.opened ? { opened: this.opened } : {}),
    };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
  }

  private async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        // The page (re)loaded: a hidden webview is reloaded when shown again. An answer on its
        // way renders into it.
        if (this.loading) return;
        if (this.last && !this.stale) this.render();
        else await this.refresh();
        return;
      case 'all':
        this.all = m.all;
        await this.refresh();
        return;
      case 'shown':
        this.shown = m;
        return;
      case 'open':
        // A click on rows that a refresh has since replaced: its index may name another place.
        if (m.generation === this.generation && this.links[m.link]) await this.open(this.links[m.link]);
        return;
    }
  }

  /** Opens a cell's place beside the matrix, so the matrix stays in view. */
  private async open(link: MatrixLink): Promise<void> {
    const { start, end } = link.range;
    const column = this.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    try {
      await vscode.window.showTextDocument(vscode.Uri.parse(link.uri), {
        selection: new vscode.Range(start.line, start.character, end.line, end.character),
        viewColumn: column,
        preview: true,
      });
      this.opened = link;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not open ${link.uri}: ${errorText(e)}`);
    }
  }

  private async refresh(): Promise<void> {
    if (!this.panel) return;
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.stale = false;
    void this.post({ type: 'updating' });
    this.loading = (async () => {
      try {
        await this.ready;
        const all = this.all;
        const result = await this.client.sendRequest(AccessMatrixRequest, { all });
        // The toggle moved while the server answered: the next round asks for the right one.
        if (all !== this.all) this.again = true;
        else {
          this.last = result;
          this.render();
        }
      } catch (e) {
        this.log.warn(`Access matrix: request failed: ${errorText(e)}`);
        void this.post({ type: 'failed', message: `The access matrix could not be computed: ${errorText(e)}` });
      }
    })().finally(() => {
      this.loading = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.loading;
  }

  private render(): void {
    if (!this.last) return;
    const r = renderMatrix(this.last);
    this.links = r.links;
    this.generation++;
    void this.post({
      type: 'matrix',
      generation: this.generation,
      all: this.last.all,
      summary: r.summary,
      rows: r.rows,
      gaps: r.gaps,
      agentOptions: r.agentOptions,
      toolOptions: r.toolOptions,
    });
  }

  private post(m: ToWebview): Thenable<boolean> | undefined {
    return this.panel?.webview.postMessage(m);
  }
}

/** The command, its panel, and the refresh on `agentgov/checked`; call once the client is constructed. */
export function registerAccessMatrix(
  client: BaseLanguageClient,
  ready: Promise<void>,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const matrix = new AccessMatrixPanel(client, ready, log);
  return vscode.Disposable.from(
    matrix,
    client.onNotification(CheckedNotification, () => matrix.workspaceChanged()),
    vscode.commands.registerCommand(SHOW_MATRIX_COMMAND, () => matrix.show()),
    vscode.commands.registerCommand(MATRIX_STATE_COMMAND, () => matrix.state()),
  );
}
