import type { Finding } from '../findings/finding';
import type { TestHost } from './host';
import { type PathRef, TESTS_RULE, type TestProblem } from './model';

/** "looked for tests/policies/x.cedar, policies/x.cedar": every place a relative path was looked up, as the user sees it. */
export function lookedIn(candidates: string[], host: TestHost): string {
  return `looked for ${candidates.map((c) => host.display(c)).join(', ')}`;
}

/** A file that exists but cannot be read as text (binary, UTF-16, too large). */
export function readProblem(ref: PathRef, path: string, why: string, host: TestHost): TestProblem {
  return { message: `\`${host.display(path)}\` cannot be read: ${why}`, range: ref.range, severity: 'error' };
}

/** A test file's problems as findings on it (rule `agentgov-tests`). */
export function problemFindings(file: string, problems: TestProblem[]): Finding[] {
  return problems.map((p) => ({
    ruleId: TESTS_RULE,
    severity: p.severity,
    message: p.message,
    file,
    range: p.range,
    ...(p.help ? { help: p.help } : {}),
    ...(p.related?.length ? { related: p.related } : {}),
  }));
}

/** Whether a problem stops a request from running: an error about it, or an error about the whole file. */
export function stopsRequest(p: TestProblem, index: number): boolean {
  return p.severity === 'error' && (p.request === undefined || p.request === index);
}
