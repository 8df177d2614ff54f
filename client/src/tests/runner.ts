// Runs request tests for a run request of the Test Explorer (or a re-run after a change): asks
// the language server, reports each item's result, and with the Coverage profile adds policy coverage.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { type RequestTestResultItem, RunRequestTestsRequest, type RunRequestTestsResult } from '../../../server/src/protocol';
import { PolicyFileCoverage } from './coverage';
import { testMessage, verdictOf } from './messages';
import { requestItemId, type TestTree, validationItemId } from './testTree';

/** A finished run as the end-to-end tests read it. */
export interface RunRecord {
  id: number;
  /** Started from the Test Explorer (or the API), or a re-run after a change. */
  trigger: 'explorer' | 'change';
  coverage: boolean;
  results: {
    id: string;
    state: 'passed' | 'failed' | 'errored' | 'skipped';
    message?: string;
    expected?: string;
    actual?: string;
    location?: { uri: string; line: number };
  }[];
  /** Per policy file: policies exercised (statements) and made determining (declarations), of all. */
  coverageFiles?: { uri: string; statements: [number, number]; declarations: [number, number] }[];
}

/** Per test file: the items asked for, and whether the whole file runs (else only some requests). */
function targetsOf(tree: TestTree, request: vscode.TestRunRequest): Map<string, { items: vscode.TestItem[]; whole: boolean }> {
  const excluded = new Set((request.exclude ?? []).map((i) => i.id));
  const out = new Map<string, { items: vscode.TestItem[]; whole: boolean }>();
  const add = (uri: string, item: vscode.TestItem, whole = false) => {
    if (excluded.has(item.id)) return;
    const t = out.get(uri) ?? { items: [], whole: false };
    if (!t.items.includes(item)) t.items.push(item);
    t.whole ||= whole;
    out.set(uri, t);
  };
  for (const item of request.include ?? tree.files()) {
    const data = tree.dataOf(item);
    if (!data) continue;
    if (data.kind === 'file') {
      if (!item.children.size) add(data.uri, item, true);
      item.children.forEach((child) => add(data.uri, child, true));
    } else add(data.uri, item, data.kind === 'validation');
  }
  return out;
}

const itemIdOf = (uri: string, r: RequestTestResultItem) =>
  r.kind === 'request' ? requestItemId(uri, r.index) : validationItemId(uri);

export class RequestTestRunner {
  private nextId = 1;
  readonly history: RunRecord[] = [];
  private readonly finished = new vscode.EventEmitter<RunRecord>();
  /** Fires after every run. */
  readonly onDidFinish = this.finished.event;

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly controller: vscode.TestController,
    private readonly tree: TestTree,
  ) {}

  async run(
    request: vscode.TestRunRequest,
    token: vscode.CancellationToken,
    options: { coverage: boolean; trigger: RunRecord['trigger'] },
  ): Promise<RunRecord> {
    const name = options.trigger === 'change' ? 'Re-run: a policy, schema, entities or test file changed' : undefined;
    const run = this.controller.createTestRun(request, name, true);
    const record: RunRecord = { id: this.nextId++, trigger: options.trigger, coverage: options.coverage, results: [] };
    const targets = targetsOf(this.tree, request);
    for (const { items } of targets.values()) for (const item of items) run.enqueued(item);
    try {
      const files = [...targets].map(([uri, t]) => {
        const only = t.items.flatMap((i) => {
          const d = this.tree.dataOf(i);
          return d?.kind === 'request' ? [d.index] : [];
        });
        return t.whole ? { uri } : { uri, only };
      });
      for (const { items } of targets.values()) for (const item of items) run.started(item);
      const answer = files.length
        ? await this.client.sendRequest(RunRequestTestsRequest, { files, coverage: options.coverage }, token)
        : { files: [] };
      if (token.isCancellationRequested) {
        for (const { items } of targets.values()) for (const item of items) run.skipped(item);
      } else this.report(run, record, targets, answer);
    } catch (e) {
      const message = `The language server could not run the tests: ${e instanceof Error ? e.message : String(e)}`;
      for (const { items } of targets.values())
        for (const item of items) {
          run.errored(item, new vscode.TestMessage(message));
          record.results.push({ id: item.id, state: 'errored', message });
        }
    } finally {
      run.end();
    }
    this.history.push(record);
    this.finished.fire(record);
    return record;
  }

  private report(
    run: vscode.TestRun,
    record: RunRecord,
    targets: Map<string, { items: vscode.TestItem[] }>,
    answer: RunRequestTestsResult,
  ): void {
    for (const file of answer.files) {
      const uri = vscode.Uri.parse(file.uri);
      const wanted = targets.get(file.uri)?.items ?? [];
      const byId = new Map(file.results.map((r) => [itemIdOf(file.uri, r), r]));
      let passed = 0;
      for (const item of wanted) {
        const r = byId.get(item.id);
        if (!r) {
          // A file that cannot be read at all has no requests: its item says why.
          if (item.error) {
            const message = typeof item.error === 'string' ? item.error : item.error.value;
            run.errored(item, new vscode.TestMessage(message));
            record.results.push({ id: item.id, state: 'errored', message });
          } else {
            run.skipped(item);
            record.results.push({ id: item.id, state: 'skipped' });
          }
          continue;
        }
        const v = verdictOf(r);
        const location = { uri: file.uri, line: r.range.start.line };
        record.results.push({
          id: item.id,
          state: v.state,
          message: v.message,
          expected: v.expected,
          actual: v.actual,
          location,
        });
        if (v.state === 'passed') {
          passed++;
          run.passed(item, r.durationMs);
        } else if (v.state === 'failed') run.failed(item, testMessage(v, r, uri), r.durationMs);
        else run.errored(item, testMessage(v, r, uri), r.durationMs);
      }
      run.appendOutput(
        `${vscode.workspace.asRelativePath(uri)}: ${passed} of ${wanted.length} passed (${Math.round(file.durationMs)} ms)\r\n`,
      );
    }
    if (!answer.coverage) return;
    record.coverageFiles = [];
    for (const f of answer.coverage) {
      const fc = new PolicyFileCoverage(vscode.Uri.parse(f.uri), f.policies);
      run.addCoverage(fc);
      record.coverageFiles.push({
        uri: f.uri,
        statements: [fc.statementCoverage.covered, fc.statementCoverage.total],
        declarations: [fc.declarationCoverage!.covered, fc.declarationCoverage!.total],
      });
    }
  }

  dispose(): void {
    this.finished.dispose();
  }
}
