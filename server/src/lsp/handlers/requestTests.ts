import { type CodeAction, type CodeActionParams, type Connection } from 'vscode-languageserver/node';
import type { GovernanceService } from '../../core/service';
import { coverageOf, type TestFileRun } from '../../core/requestTests';
import {
  GENERATE_REQUEST_TESTS_COMMAND,
  GenerateRequestTestsRequest,
  type GenerateRequestTestsResult,
  type RequestTestFileItem,
  RequestTestFilesRequest,
  RequestTestsChangedNotification,
  RunRequestTestsRequest,
  type RunRequestTestsParams,
  type RunRequestTestsResult,
  UntestedPoliciesRequest,
} from '../../protocol';
import type { ServerContext } from '../context';
import { uriOfPath } from '../uris';

/** Per service, the text of each file request tests read, as last told to the client. */
const told = new WeakMap<GovernanceService, Map<string, string>>();
const TESTED_KINDS = new Set(['policy', 'schema', 'entities', 'cedartests']);

/**
 * Tells the client which of these files (just published) that request tests read changed since
 * it was last told: a policy, schema, entities or test file edited, created or deleted. Opening a
 * file, or a check that only re-publishes it, tells nothing (the Test Explorer would re-run for
 * nothing). The texts kept are the store's own strings, so this holds no copy.
 */
export function notifyTestInputs(connection: Connection, service: GovernanceService, paths: string[]): void {
  let seen = told.get(service);
  if (!seen) told.set(service, (seen = new Map()));
  const changed: string[] = [];
  for (const p of paths) {
    if (!TESTED_KINDS.has(service.kindOf(p) ?? '')) continue;
    const text = service.file(p)?.text;
    if (seen.get(p) === text && (text !== undefined || !seen.has(p))) continue;
    if (text === undefined) seen.delete(p);
    else seen.set(p, text);
    changed.push(uriOfPath(p));
  }
  if (changed.length) void connection.sendNotification(RequestTestsChangedNotification, { uris: changed });
}

/** The kind of the code action on a policy that writes tests of its decisions (a Source Action). */
export const GENERATE_TESTS_KIND = 'source.generateRequestTests';

/**
 * The request tests of the Test Explorer (SPEC §7): the test files and their requests, runs with
 * expected vs actual and policy coverage, the untested policies, and tests generated from
 * today's decisions. Runs read the service's texts (the editor's while open), so they never wait
 * for the diagnostics' scheduler. The change notification is sent by the publisher.
 */
export function registerRequestTestHandlers(ctx: ServerContext): void {
  const c = ctx.connection;
  c.onRequest(RequestTestFilesRequest, () => ctx.guard('request test files', () => testFiles(ctx)) ?? { files: [] });
  c.onRequest(RunRequestTestsRequest, (p) => ctx.guard('request tests', () => runTests(ctx, p)) ?? { files: [] });
  c.onRequest(UntestedPoliciesRequest, () => ({
    policies:
      ctx.guard('untested policies', () =>
        ctx
          .service()
          .untestedPolicies()
          .map((p) => ({ uri: uriOfPath(p.file), id: p.id, effect: p.effect, range: p.range })),
      ) ?? [],
  }));
  c.onRequest(GenerateRequestTestsRequest, async (p): Promise<GenerateRequestTestsResult> => {
    try {
      const policyFile = p.uri ? ctx.pathOf(p.uri) : undefined;
      const g = await ctx.service().generateRequestTests(policyFile ? { policyFile, policyId: p.policy } : {});
      return {
        files: g.files.map((f) => ({ uri: uriOfPath(f.file), text: f.text, created: f.created, added: f.added })),
        skipped: g.skipped,
        pairs: g.pairs,
      };
    } catch (e) {
      ctx.logError('generating request tests', e);
      return { files: [], skipped: [], pairs: 0 };
    }
  });
}

function testFiles(ctx: ServerContext): { files: RequestTestFileItem[] } {
  const service = ctx.service();
  return {
    files: service.requestTestFiles().map((path) => {
      const { file, problems } = service.requestTests(path);
      const item: RequestTestFileItem = {
        uri: uriOfPath(path),
        label: service.displayPath(path),
        requests: (file?.requests ?? []).map((r) => ({ index: r.index, description: r.description, range: r.range })),
      };
      if (file?.shouldValidate) item.validation = file.shouldValidate.range;
      if (!file) item.error = problems.find((p) => p.severity === 'error')?.message ?? 'This file cannot be read.';
      return item;
    }),
  };
}

function runTests(ctx: ServerContext, p: RunRequestTestsParams): RunRequestTestsResult {
  const service = ctx.service();
  const targets = p.files
    ? p.files.flatMap((f) => {
        const path = ctx.pathOf(f.uri);
        return path ? [{ path, only: f.only }] : [];
      })
    : service.requestTestFiles().map((path) => ({ path, only: undefined }));
  const coverage = !!p.coverage;
  const runs: TestFileRun[] = targets.map((t) =>
    service.runRequestTests(t.path, { coverage, ...(t.only ? { only: t.only } : {}) }),
  );
  const files = runs.map((run) => ({
    uri: uriOfPath(run.file),
    results: run.results.map(({ file: _file, ...rest }) => rest),
    durationMs: run.durationMs,
  }));
  if (!coverage) return { files };
  return {
    files,
    coverage: service.workspaceTestCoverage(coverageOf(runs, true)).map((f) => ({
      uri: uriOfPath(f.file),
      policies: f.policies.map((q) => ({
        id: q.id,
        effect: q.effect,
        range: q.range,
        determining: q.determining.length,
        satisfied: q.satisfied?.length ?? 0,
      })),
    })),
  };
}

/**
 * "Generate request tests from today's decisions" on the policy under the cursor, as a Source
 * Action (asked for with `only: ['source']`: never in the light bulb's quick fixes). It runs the
 * client's command, which asks the server for the files and writes them.
 */
export function generateTestsActions(ctx: ServerContext, p: CodeActionParams): CodeAction[] {
  if (!p.context.only?.some((k) => GENERATE_TESTS_KIND.startsWith(k))) return [];
  const path = ctx.pathOf(p.textDocument.uri);
  if (!path || ctx.service().kindOf(path) !== 'policy' || ctx.service().isRuleFile(path)) return [];
  const at = p.range.start;
  const policy = ctx
    .service()
    .policySet()
    .policies.find(
      (q) =>
        q.file === path &&
        (q.range.start.line < at.line || (q.range.start.line === at.line && q.range.start.character <= at.character)) &&
        (q.range.end.line > at.line || (q.range.end.line === at.line && q.range.end.character >= at.character)),
    );
  const title = policy
    ? `Generate request tests from today's decisions of policy "${policy.id}"`
    : "Generate request tests from today's decisions of this file's policies";
  return [
    {
      title,
      kind: GENERATE_TESTS_KIND,
      command: { title, command: GENERATE_REQUEST_TESTS_COMMAND, arguments: [p.textDocument.uri, policy?.id] },
    },
  ];
}
