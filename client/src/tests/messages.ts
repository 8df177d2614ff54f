// A request test's result as the Test Explorer shows it: passed, or a failure with expected vs
// actual (a diff: the decision, then the policies the test names), or an error for what could
// not run.
import * as vscode from 'vscode';
import type { RequestTestResultItem } from '../../../server/src/protocol';
import { toRange } from './testTree';

export interface Verdict {
  state: 'passed' | 'failed' | 'errored';
  /** The message shown (and its diff, for a failure). */
  message?: string;
  expected?: string;
  actual?: string;
}

const list = (ids: readonly string[]) => `[${ids.map((id) => JSON.stringify(id)).join(', ')}]`;
const names = (ids: readonly string[]) => (ids.length ? ids.join(', ') : 'none');

/**
 * Expected or actual as the diff shows it: the decision alone on the first line (the editor's
 * inline message is `actual != expected` cut to a few characters, so it starts with what
 * matters), then the policies the test checks.
 */
function outcomeText(decision: string, lines: [string, readonly string[]][]): string {
  return [decision, ...lines.map(([k, ids]) => `${k}: ${names(ids)}`)].join('\n');
}

function requestVerdict(r: Extract<RequestTestResultItem, { kind: 'request' }>): Verdict {
  if (r.passed) return { state: 'passed' };
  if (!r.actual || !r.expected) return { state: 'errored', message: r.error ?? 'This request did not run.' };
  const { expected, actual } = r;
  const showErrors = !!expected.errors || actual.errors.length > 0;
  const exp = outcomeText(expected.decision, [
    ...(expected.reason ? [['reason', expected.reason] as [string, string[]]] : []),
    ...(showErrors ? [['errors', expected.errors ?? []] as [string, string[]]] : []),
  ]);
  const act = outcomeText(actual.decision, [
    ...(expected.reason ? [['reason', actual.reason] as [string, string[]]] : []),
    ...(showErrors ? [['errors', actual.errors] as [string, string[]]] : []),
  ]);
  const why = (r.mismatches ?? []).map((m) =>
    m === 'decision'
      ? `Expected "${expected.decision}", Cedar decided "${actual.decision}" (determining: ${names(actual.reason)}).`
      : m === 'reason'
        ? `The determining policies differ: expected ${list(expected.reason ?? [])}, Cedar answered ${list(actual.reason)}.`
        : `The erroring policies differ: expected ${list(expected.errors ?? [])}, Cedar answered ${list(actual.errors)}.`,
  );
  const errored = (r.errorMessages ?? []).map((e) => `Policy "${e.policy}" errored: ${e.message}`);
  return { state: 'failed', message: [...why, ...errored].join('\n'), expected: exp, actual: act };
}

function validationVerdict(r: Extract<RequestTestResultItem, { kind: 'validation' }>): Verdict {
  if (r.passed) return { state: 'passed' };
  if (!r.actual) return { state: 'errored', message: r.error ?? 'The policies could not be validated.' };
  const said = (validates: boolean) => (validates ? 'validates' : 'does not validate');
  const exp = said(r.expected.validates);
  const act = [said(r.actual.validates), ...r.actual.errors].join('\n');
  const message = r.expected.validates
    ? `The policies do not validate against the schema:\n${r.actual.errors.join('\n')}`
    : 'The policies validate against the schema, but `shouldValidate` says they should not.';
  return { state: 'failed', message, expected: exp, actual: act };
}

export function verdictOf(r: RequestTestResultItem): Verdict {
  return r.kind === 'request' ? requestVerdict(r) : validationVerdict(r);
}

/** The Test Explorer's message for a verdict that is not a pass, placed at the request in its file. */
export function testMessage(v: Verdict, r: RequestTestResultItem, uri: vscode.Uri): vscode.TestMessage {
  const m =
    v.state === 'failed' && v.expected !== undefined && v.actual !== undefined
      ? vscode.TestMessage.diff(v.message ?? 'Failed', v.expected, v.actual)
      : new vscode.TestMessage(v.message ?? 'Failed');
  m.location = new vscode.Location(uri, toRange(r.range));
  return m;
}
