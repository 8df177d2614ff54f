// Request tests (`*.cedartests.json`, SPEC §7) in VS Code's Test Explorer: a test controller fed
// by the language server, a Run and a Coverage profile, re-runs when what the tests read changes
// (`agentgov.tests.runOnChange`), untested policies marked in the editor, and the command that
// generates tests from today's decisions.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  GENERATE_REQUEST_TESTS_COMMAND,
  RequestTestFilesRequest,
  RequestTestsChangedNotification,
  type GenerateRequestTestsResult,
  type UntestedPolicyItem,
} from '../../../server/src/protocol';
import { PolicyFileCoverage } from './coverage';
import { generateRequestTests } from './generate';
import { RequestTestRunner, type RunRecord } from './runner';
import { TestTree } from './testTree';
import { UntestedMarks } from './untestedMarks';

export const CONTROLLER_ID = 'agentgov.requestTests';
export const RUN_ON_CHANGE_SETTING = 'agentgov.tests.runOnChange';
/** Changes come in bursts (a check publishes its files in slices): wait for a quiet moment. */
const CHANGE_DEBOUNCE_MS = 400;

/** What the extension's API gives its end-to-end tests about request tests. */
export interface RequestTestsApi {
  /** Asks the server for the test files again; resolves when the items show them. */
  refresh(): Promise<void>;
  /** The Test Explorer's items: files with their requests. */
  items(): { id: string; label: string; error?: string; children: { id: string; label: string; line?: number }[] }[];
  /** A test item by id (a file's URI, `uri#index` for a request), e.g. for `vscode.revealTestInExplorer`. */
  item(id: string): vscode.TestItem | undefined;
  /** Every run finished so far, oldest first. */
  runs(): RunRecord[];
  /** The policies marked as untested, once the marks are up to date. */
  untested(): Promise<UntestedPolicyItem[]>;
  /** The generate command's answer, as run by the command. */
  generate(uri?: string, policy?: string): Promise<GenerateRequestTestsResult | undefined>;
}

class RequestTests implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController(CONTROLLER_ID, 'Cedar request tests');
  private readonly tree = new TestTree(this.controller);
  private readonly runner: RequestTestRunner;
  private readonly marks: UntestedMarks;
  private readonly runProfile: vscode.TestRunProfile;
  private readonly coverageProfile: vscode.TestRunProfile;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** What the last run ran (item ids; undefined: everything), for the re-run after a change. */
  private last: { include?: string[]; coverage: boolean } | undefined;
  private changeTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly ready: Promise<void>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.runner = new RequestTestRunner(client, this.controller, this.tree);
    this.marks = new UntestedMarks(client, ready, log);
    this.runProfile = this.controller.createRunProfile(
      'Run',
      vscode.TestRunProfileKind.Run,
      (request, token) => this.runFromExplorer(request, token, false),
      true,
    );
    this.coverageProfile = this.controller.createRunProfile(
      'Run with Policy Coverage',
      vscode.TestRunProfileKind.Coverage,
      (request, token) => this.runFromExplorer(request, token, true),
      true,
    );
    this.coverageProfile.loadDetailedCoverage = async (_run, coverage) =>
      coverage instanceof PolicyFileCoverage ? coverage.details() : [];
    this.controller.refreshHandler = () => this.refresh();
    this.subscriptions.push(
      this.client.onNotification(RequestTestsChangedNotification, () => this.changed()),
      vscode.commands.registerCommand(GENERATE_REQUEST_TESTS_COMMAND, (uri?: string | vscode.Uri, policy?: string) =>
        this.generate(uri, policy),
      ),
    );
    this.refreshing = this.refresh();
    this.marks.refreshSoon(0);
  }

  /** Asks the server for the test files and shows them as items. */
  refresh(): Promise<void> {
    this.refreshing = (async () => {
      try {
        await this.ready;
        const { files } = await this.client.sendRequest(RequestTestFilesRequest);
        this.tree.sync(files);
      } catch (e) {
        this.log.warn(`agentgov: request test files: ${e instanceof Error ? e.message : String(e)}`);
      }
    })();
    return this.refreshing;
  }

  private async runFromExplorer(request: vscode.TestRunRequest, token: vscode.CancellationToken, coverage: boolean) {
    await this.refreshing;
    this.last = { ...(request.include ? { include: request.include.map((i) => i.id) } : {}), coverage };
    await this.runner.run(request, token, { coverage, trigger: 'explorer' });
  }

  /** A policy, schema, entities or test file changed: new items, new marks, and (by the setting) a re-run. */
  private changed(): void {
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => void this.afterChange(), CHANGE_DEBOUNCE_MS);
  }

  private async afterChange(): Promise<void> {
    await this.refresh();
    this.marks.refreshSoon(0);
    if (!vscode.workspace.getConfiguration().get<boolean>(RUN_ON_CHANGE_SETTING, true)) return;
    // The last run's tests that still exist, or every test when nothing ran yet (or none is left).
    const include = this.last?.include?.map((id) => this.tree.find(id)).filter((i): i is vscode.TestItem => !!i);
    const coverage = this.last?.coverage ?? false;
    const profile = coverage ? this.coverageProfile : this.runProfile;
    const request = new vscode.TestRunRequest(include?.length ? include : undefined, undefined, profile);
    const cancel = new vscode.CancellationTokenSource();
    try {
      await this.runner.run(request, cancel.token, { coverage, trigger: 'change' });
    } finally {
      cancel.dispose();
    }
  }

  private generate(uri?: string | vscode.Uri, policy?: string): Promise<GenerateRequestTestsResult | undefined> {
    return generateRequestTests(this.client, this.log, uri, policy).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`agentgov: generating request tests failed: ${message}`);
      void vscode.window.showErrorMessage(`Request tests could not be generated: ${message}`);
      return undefined;
    });
  }

  api(): RequestTestsApi {
    return {
      refresh: () => this.refresh(),
      items: () =>
        this.tree.files().map((f) => {
          const children: { id: string; label: string; line?: number; sortText: string }[] = [];
          f.children.forEach((c) =>
            children.push({ id: c.id, label: c.label, line: c.range?.start.line, sortText: c.sortText ?? c.label }),
          );
          // In the explorer's order.
          children.sort((a, b) => a.sortText.localeCompare(b.sortText));
          const error = typeof f.error === 'string' ? f.error : f.error?.value;
          return { id: f.id, label: f.label, ...(error ? { error } : {}), children };
        }),
      item: (id) => this.tree.find(id),
      runs: () => [...this.runner.history],
      untested: async () => {
        await this.marks.settled();
        return this.marks.marked();
      },
      generate: (uri, policy) => this.generate(uri, policy),
    };
  }

  dispose(): void {
    clearTimeout(this.changeTimer);
    for (const s of this.subscriptions) s.dispose();
    this.marks.dispose();
    this.runner.dispose();
    this.runProfile.dispose();
    this.coverageProfile.dispose();
    this.controller.dispose();
  }
}

/** Registers the request tests' part of the extension; `ready` resolves when the language server is up. */
export function registerRequestTests(
  client: BaseLanguageClient,
  ready: Promise<void>,
  log: vscode.LogOutputChannel,
): { disposable: vscode.Disposable; api: RequestTestsApi } {
  const tests = new RequestTests(client, ready, log);
  return { disposable: tests, api: tests.api() };
}
