import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** What the extension hands to other extensions and to its own end-to-end tests. */
export interface AgentGovApi {
  /** Resolves when the language server is up. */
  ready: Promise<void>;
}

/** Files the server reads: Cedar policies and schemas, and the JSON/YAML files of SPEC §3. */
const DOCUMENTS = [
  { language: 'cedar' },
  { language: 'cedarschema' },
  { pattern: '**/*.cedarschema.json' },
  { pattern: '**/*.cedarentities.json' },
  { pattern: '**/*.entities.json' },
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
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{cedar,cedarschema,json,yaml,yml}'),
    },
    outputChannel: output,
  };
  client = new LanguageClient('agentgov', 'Cedar Agent Governance', serverOptions, clientOptions);
  const ready = client.start();
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('agentgov.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('agentgov.showOutput', () => output.show(true)),
  );
  return { ready };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
