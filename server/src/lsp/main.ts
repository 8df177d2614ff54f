import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { AgentGovServer } from './server';

// createConnection picks the transport from the command line: --stdio, --node-ipc or --socket=N.
const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (e) => connection.console.error(`agentgov: uncaught ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`agentgov: unhandled rejection ${String(e)}`));
new AgentGovServer(connection).listen();
