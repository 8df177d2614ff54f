import type { CodeLens } from 'vscode-languageserver/node';
import { type PolicyLink as CorePolicyLink, type SimulationResult, uidText } from '../../core/simulation';
import { simulationChoices, simulationContext } from '../../core/simulation/choices';
import { simulationLenses } from '../../core/simulation/lenses';
import { saveSimulationAsTest } from '../../core/simulation/saveSimulation';
import { LineIndex } from '../../core/text/lineIndex';
import {
  RunSavedTestRequest,
  SaveAsTestRequest,
  type SaveAsTestResult,
  SimulateRequest,
  type SimulationAnswerItem,
  SimulationChoicesRequest,
  type SimulationChoicesResult,
  SimulationContextRequest,
  type SimulationInputErrorItem,
  type SimulationPolicyLink,
  type SimulationRequestParams,
} from '../../protocol';
import type { ServerContext } from '../context';
import { uriOfPath } from '../uris';

/** The client command a `▶ Simulate` lens runs (client/src/simulation/). */
export const SIMULATE_COMMAND = 'agentgov.simulateRequest';

/** `▶ Simulate` code lenses and the `agentgov/simulation/...` requests: protocol in, core answers out. */
export function registerSimulationHandlers(ctx: ServerContext): void {
  const c = ctx.connection;
  c.onCodeLens(
    (p) =>
      ctx.guard('code lenses', () => {
        const path = ctx.pathOf(p.textDocument.uri);
        if (!path) return [];
        return simulationLenses(ctx.service(), path).map((l): CodeLens => ({
          range: l.range,
          command: { title: '▶ Simulate', command: SIMULATE_COMMAND, arguments: [l.target] },
        }));
      }) ?? [],
  );
  c.onRequest(SimulationChoicesRequest, () => ctx.guard('simulation choices', () => choices(ctx)) ?? empty());
  c.onRequest(SimulationContextRequest, (p) =>
    ctx.guard('simulation context', () => simulationContext(ctx.service(), p.tool) ?? null),
  );
  c.onRequest(
    SimulateRequest,
    (p) =>
      ctx.guard('simulation', () => answerItem(ctx.service().simulate(p))) ?? {
        ok: false,
        error: { field: 'request', message: 'The server could not simulate this request: see the Output panel.' },
      },
  );
  c.onRequest(
    SaveAsTestRequest,
    (p) =>
      ctx.guard('save as test', () => saveAsTest(ctx, p.request, p.uri, p.description)) ?? {
        ok: false,
        message: 'The server could not save this request: see the Output panel.',
      },
  );
  c.onRequest(RunSavedTestRequest, (p) => ctx.guard('run saved test', () => runSaved(ctx, p.uri, p.index)));
}

const empty = (): SimulationChoicesResult => ({ agents: [], tools: [], resources: [], testFiles: [] });

function choices(ctx: ServerContext): SimulationChoicesResult {
  const c = simulationChoices(ctx.service());
  return {
    agents: c.agents.map(({ file, ...a }) => ({ ...a, uri: uriOfPath(file) })),
    tools: c.tools.map(({ file, ...t }) => ({ ...t, uri: uriOfPath(file) })),
    resources: c.resources,
    testFiles: c.testFiles.map(uriOfPath),
  };
}

const policyLink = (p: CorePolicyLink): SimulationPolicyLink => ({
  id: p.id,
  effect: p.effect,
  uri: uriOfPath(p.file),
  range: p.range,
});

/** The core's answer with files as URIs and the request as text (the context's 64-bit integers written exactly). */
function answerItem(r: SimulationResult): SimulationAnswerItem | SimulationInputErrorItem {
  if (!r.ok) return { ok: false, error: r.error };
  return {
    ok: true,
    request: {
      principal: uidText(r.request.principal),
      action: uidText(r.request.action),
      resource: uidText(r.request.resource),
      context: JSON.stringify(r.request.context, null, 2),
    },
    ...(r.agent ? { agent: { name: r.agent.name, uri: uriOfPath(r.agent.file), range: r.agent.range } } : {}),
    ...(r.tool
      ? {
          tool: {
            name: r.tool.name,
            ...(r.tool.server ? { server: r.tool.server } : {}),
            uri: uriOfPath(r.tool.file),
            range: r.tool.range,
          },
        }
      : {}),
    ...(r.decision ? { decision: r.decision } : {}),
    determining: r.determining.map(policyLink),
    errors: r.errors.map((e) => ({
      policyId: e.policyId,
      message: e.message,
      ...(e.policy ? { policy: policyLink(e.policy) } : {}),
    })),
    failures: r.failures,
    validated: r.validated,
    ms: Math.round(r.ms * 10) / 10,
  };
}

function saveAsTest(
  ctx: ServerContext,
  request: SimulationRequestParams,
  uri: string,
  description: string | undefined,
): SaveAsTestResult {
  const path = ctx.pathOf(uri);
  if (!path || !/\.cedartests\.json$/i.test(path))
    return { ok: false, message: 'A request test file is a `*.cedartests.json` file of the workspace.' };
  const service = ctx.service();
  const before = service.file(path)?.text;
  const saved = saveSimulationAsTest(service, request, path, description);
  if ('error' in saved) return { ok: false, message: saved.error };
  // Edits are ranges of the text the server holds (the editor's while it is open), as the client sees it.
  const lines = new LineIndex(before ?? '');
  const edits = saved.created
    ? []
    : saved.edits.map((e) => ({ range: lines.range(e.offset, e.offset + e.length), newText: e.content }));
  return { ok: true, uri, created: saved.created, edits, text: saved.text, index: saved.index };
}

function runSaved(ctx: ServerContext, uri: string, index: number): { passed: boolean; message: string } {
  const path = ctx.pathOf(uri);
  if (!path) return { passed: false, message: 'Not a file of the workspace.' };
  const run = ctx.service().runRequestTests(path, { only: [index] });
  const result = run.results.find((r) => r.kind === 'request' && r.index === index);
  if (!result || result.kind !== 'request')
    return { passed: false, message: run.problems[0]?.message ?? 'The saved request was not found in the file.' };
  if (result.passed) return { passed: true, message: `it passes (${result.actual?.decision ?? 'decided'})` };
  if (result.error) return { passed: false, message: `it does not run: ${result.error}` };
  const expected = `${result.expected?.decision} [${(result.expected?.reason ?? []).join(', ')}]`;
  const actual = `${result.actual?.decision} [${(result.actual?.reason ?? []).join(', ')}]`;
  return {
    passed: false,
    message: `it fails in this file: expected ${expected}, its policies decide ${actual} (the file tests other policies than the workspace's)`,
  };
}
