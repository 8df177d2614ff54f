import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { type RenderedNode, registerGovernanceView } from './governanceView';
import { FILE_PATTERNS, SERVER_LAUNCH } from '../../server/src/protocol';
import { GovernanceStatus } from './statusBar';
import { registerSimulation } from './simulation';
import { type RequestTestsApi, registerRequestTests } from './tests';
import { registerAccessMatrix } from './matrix/matrixPanel';

let client: LanguageClient | undefined;

/** What the extension hands to other extensions and to its own end-to-end tests. */
export interface AgentGovApi {
  /** Resolves when the language server is up. */
  ready: Promise<void>;
  /** The Agent Governance view's tree as its provider renders it (asks the server when needed). */
  governanceTree(): Promise<RenderedNode[]>;
  /** Drops the view's data and asks the server again (the view's Refresh button). */
  refreshGovernance(): void;
  /** The status bar item's text once it shows the latest data. */
  statusText(): Promise<string>;
  /** Request tests in the Test Explorer: items, runs, untested policies. */
  requestTests: RequestTestsApi;
}

/**
 * Files the server reads, from the product's one classifier (SPEC §3): Cedar files by language,
 * the rest by the classifier's patterns; plain JSON is watched but only opened documents that
 * match a pattern are synchronised.
 */
const DOCUMENTS = [
  { language: 'cedar' },
  { language: 'cedarschema' },
  { language: 'typescript' },
  { language: 'typescriptreact' },
  ...(['schema', 'entities', 'cedartests', 'binding', 'mcp-config', 'package-json', 'agentgov-config'] as const).flatMap((role) =>
    FILE_PATTERNS[role].map((pattern) => ({ pattern })),
  ),
  { pattern: '**/*.tools.json' },
];

/** Every file the classifier can take, for the file watcher. */
const WATCHED = `**/*.{${[
  ...new Set(
    Object.values(FILE_PATTERNS)
      .flat()
      .map((p) => p.slice(p.lastIndexOf('.') + 1)),
  ),
].join(',')}}`;

export function activate(context: vscode.ExtensionContext): AgentGovApi {
  const output = vscode.window.createOutputChannel('Cedar Agent Governance', { log: true });
  const module = context.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const env = { ...process.env, ...SERVER_LAUNCH.env };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_LAUNCH.execArgv, env } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_LAUNCH.execArgv, '--nolazy', '--inspect=6009'], env },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENTS.map((d) => ({ scheme: 'file', ...d })).concat([
      { scheme: 'untitled', language: 'cedar' },
    ] as never[]),
    synchronize: {
      // The server checks files that are not open too, so it hears about every change on disk.
      // A folder created or deleted in one go (`.agentgov/rules/` removed in the Explorer, a
      // checkout) is reported as the folder alone, which the file patterns do not match: every
      // creation and deletion is passed on too, and the server reads the folder's files again.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher(WATCHED),
        vscode.workspace.createFileSystemWatcher('**/*', false, true, false),
      ],
    },
    outputChannel: output,
  };
  client = new LanguageClient('agentgov', 'Cedar Agent Governance', serverOptions, clientOptions);
  const ready = client.start();
  // The view asks the server once `ready` resolves; it listens for agentgov/inventoryChanged.
  const governance = registerGovernanceView(client, ready, output);
  const status = new GovernanceStatus(governance.provider);
  const requestTests = registerRequestTests(client, ready, output);
  context.subscriptions.push(
    output,
    governance.disposable,
    status,
    requestTests.disposable,
    vscode.commands.registerCommand('agentgov.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('agentgov.showOutput', () => output.show(true)),
    registerSimulation(client, ready, output),
    registerAccessMatrix(client, ready, output),
  );
  return {
    ready,
    governanceTree: () => governance.provider.render(),
    refreshGovernance: () => governance.provider.refresh(),
    statusText: async () => {
      await status.settled();
      return status.text;
    },
    requestTests: requestTests.api,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
