// Simulation in the editor (SPEC §7 "One request"): `▶ Simulate` lenses (from the server) and the
// "Simulate Request…" command pick agent, tool and resource; the context is typed in a JSON editor
// with its schema; the answer shows in a result view that can re-run it and save it as a test.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  SimulateRequest,
  SimulationChoicesRequest,
  SimulationContextRequest,
  type SimulationRequestParams,
  type SimulationTarget,
} from '../../../server/src/protocol';
import { ContextDocuments, RUN_COMMAND, SCHEME, type PendingRequest } from './contextDocuments';
import { pickRequest } from './pickRequest';
import { ResultPanel } from './resultPanel';
import { saveRequestAsTest } from './saveAsTest';

export const SIMULATE_COMMAND = 'agentgov.simulateRequest';
export const RERUN_COMMAND = 'agentgov.simulation.rerun';
export const SAVE_COMMAND = 'agentgov.simulation.saveAsTest';

export function registerSimulation(
  client: BaseLanguageClient,
  ready: Promise<void>,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const contexts = new ContextDocuments();

  /** Opens the context editor of a request, pre-filled from the tool's input schema. */
  const editContext = async (request: PendingRequest | SimulationRequestParams): Promise<void> => {
    const open = contexts.documentOf(request);
    if (open) return contexts.show(open);
    const answer = await client.sendRequest(SimulationContextRequest, { tool: request.action });
    // Back from the result view: the context last run, not the tool's placeholders.
    const last = 'context' in request ? request.context : undefined;
    await contexts.open(request, last ?? answer?.context ?? '{}', answer?.schema ?? { type: 'object' });
  };

  const run = async (request: SimulationRequestParams): Promise<void> => {
    await ready;
    const result = await client.sendRequest(SimulateRequest, request);
    if (!result.ok) log.info(`simulation: ${result.error.message}`);
    panel.show(request, result);
  };

  const guarded =
    <A extends unknown[]>(what: string, f: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      try {
        await f(...args);
      } catch (e) {
        log.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void vscode.window.showErrorMessage(`Agent Governance: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };

  const panel = new ResultPanel({
    rerun: guarded('Re-run simulation', run),
    editContext: guarded('Edit context', editContext),
    saveAsTest: guarded('Save simulation as test', async (request: SimulationRequestParams) => {
      const saved = await saveRequestAsTest(client, request);
      if (saved) panel.noteSaved(saved);
    }),
  });

  return vscode.Disposable.from(
    contexts,
    panel,
    vscode.commands.registerCommand(
      SIMULATE_COMMAND,
      guarded('Simulate Request', async (target?: SimulationTarget) => {
        await ready;
        const choices = await client.sendRequest(SimulationChoicesRequest);
        const request = await pickRequest(choices, target ?? {});
        if (request) await editContext(request);
      }),
    ),
    vscode.commands.registerCommand(
      RUN_COMMAND,
      guarded('Run simulation', async (uri?: vscode.Uri) => {
        const doc =
          (uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())) ??
          vscode.window.activeTextEditor?.document;
        const request = doc?.uri.scheme === SCHEME ? contexts.requestOf(doc) : undefined;
        if (!doc || !request) {
          void vscode.window.showInformationMessage('Open a simulation context first: Agent Governance: Simulate Request…');
          return;
        }
        // Saved to memory: the editor then closes without asking where to save it.
        if (doc.isDirty) await doc.save();
        await run(request);
      }),
    ),
    vscode.commands.registerCommand(
      RERUN_COMMAND,
      guarded('Re-run simulation', async () => {
        if (panel.last) await run(panel.last.request);
        else await vscode.commands.executeCommand(SIMULATE_COMMAND);
      }),
    ),
    vscode.commands.registerCommand(
      SAVE_COMMAND,
      guarded('Save simulation as test', async () => {
        if (!panel.last) {
          void vscode.window.showInformationMessage('Simulate a request first.');
          return;
        }
        const saved = await saveRequestAsTest(client, panel.last.request);
        if (saved) panel.noteSaved(saved);
      }),
    ),
  );
}
