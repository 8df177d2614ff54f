import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { type RenderedNode, registerGovernanceView } from './governanceView';
import { GovernanceStatus } from './statusBar';

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
}

/** Files the server reads: Cedar policies and schemas, and the JSON/YAML files of SPEC §3. */
const DOCUMENTS = [
  { language: 'cedar' },
  { language: 'cedarschema' },
  { pattern: '**/*.cedarschema.json' },
  { pattern: '**/*.cedarentities.json' },
  { pattern: '**/*.entities.json' },
  // Identity bindings, tool lists and MCP configurations (SPEC §3–§5).
  { pattern: '**/*.agent.{yaml,yml,json}' },
  { pattern: '**/*.tools.json' },
  { pattern: '**/.vscode/mcp.json' },
  { pattern: '**/.mcp.json' },
  { pattern: '**/mcp.json' },
  { pattern: '**/claude_desktop_config.json' },
  // Tool definitions in TypeScript code (MCP SDK, Vercel AI SDK, LangChain.js, OpenAI Agents SDK).
  { language: 'typescript' },
  { language: 'typescriptreact' },
];

export function activate(context: vscode.ExtensionContext): AgentGovApi {
  const output = vscode.window.createOutputChannel('Cedar Agent Governance', { log: true });
  const module = context.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENTS.map((d) => ({ scheme: 'file', ...d })).concat([{ scheme: 'untitled', language: 'cedar' }] as never[]),
    synchronize: {
      // The server checks files that are not open too, so it hears about every change on disk.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{cedar,cedarschema,json,yaml,yml,ts,tsx,mts}'),
    },
    outputChannel: output,
  };
  client = new LanguageClient('agentgov', 'Cedar Agent Governance', serverOptions, clientOptions);
  const ready = client.start();
  // The view asks the server once `ready` resolves; it listens for agentgov/inventoryChanged.
  const governance = registerGovernanceView(client, ready, output);
  const status = new GovernanceStatus(governance.provider);
  context.subscriptions.push(
    output,
    governance.disposable,
    status,
    vscode.commands.registerCommand('agentgov.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('agentgov.showOutput', () => output.show(true)),
  );
  return {
    ready,
    governanceTree: () => governance.provider.render(),
    refreshGovernance: () => governance.provider.refresh(),
    statusText: async () => {
      await status.settled();
      return status.text;
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
