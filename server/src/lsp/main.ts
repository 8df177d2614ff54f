import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { AgentGovServer } from './server';

// Node 20's V8 aborts the whole process ("Fatal error: unreachable code" in the deoptimizer)
// when it has inlined cedar-wasm's JS→Wasm calls and later deoptimizes them, which thousands
// of policy checks under GC pressure trigger (a 1–5 MB policy file). Set before cedar-wasm loads.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

// createConnection picks the transport from the command line: --stdio, --node-ipc or --socket=N.
const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (e) => connection.console.error(`agentgov: uncaught ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`agentgov: unhandled rejection ${String(e)}`));
new AgentGovServer(connection).listen();
