// Entry point of the E2E suite, for the extension host's test runner
// (`extensionTestsPath`; the same module for @vscode/test-electron and for code-server).
// Runs the Mocha suite and writes <OUT_DIR>/results.json:
//   {"passed": N, "failed": N, "tests": [{"title", "state", "durationMs", "error"?}], "metrics": {...}}
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { OUT_DIR, log, metrics } from './helpers';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_TEST_END } =
  Mocha.Runner.constants;

/** Prints each test as it ends and collects the results for results.json. */
class E2EReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const tests: TestResult[] = [];
    const started = Date.now();
    runner.once(EVENT_RUN_BEGIN, () => log(`suite: ${runner.total} tests`));
    runner.on(EVENT_TEST_PASS, (t) => {
      tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
      log(`  ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (t, err: Error) => {
      const error = `${err?.message ?? err}`;
      tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error });
      log(`  ✘ ${t.fullTitle()} (${t.duration ?? 0} ms)\n      ${error.split('\n').join('\n      ')}`);
    });
    runner.on(EVENT_TEST_PENDING, (t) => {
      tests.push({ title: t.fullTitle(), state: 'pending', durationMs: 0 });
      log(`  - ${t.fullTitle()} (pending)`);
    });
    // Written after every test too, so that a run cut short still leaves its results.
    const write = (complete: boolean) => {
      const passed = tests.filter((t) => t.state === 'passed').length;
      const failed = tests.filter((t) => t.state === 'failed').length;
      const durationMs = Date.now() - started;
      if (complete) log(`suite: ${passed} passed, ${failed} failed, ${durationMs} ms`);
      fs.mkdirSync(OUT_DIR, { recursive: true });
      fs.writeFileSync(
        path.join(OUT_DIR, 'results.json'),
        `${JSON.stringify({ passed, failed, durationMs, complete, tests, metrics }, null, 2)}\n`,
      );
    };
    runner.on(EVENT_TEST_END, () => write(false));
    runner.once(EVENT_RUN_END, () => write(true));
  }
}

export function run(): Promise<void> {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.rmSync(path.join(OUT_DIR, 'results.json'), { force: true });
  fs.writeFileSync(path.join(OUT_DIR, 'suite.log'), '');
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: E2EReporter as unknown as string });
  const grep = process.env.AGENTGOV_E2E_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} E2E tests failed`)) : resolve()));
    } catch (e) {
      log(`suite: could not run: ${e instanceof Error ? e.stack : e}`);
      reject(e);
    }
  });
}
