import { cleanMessage } from '../cedar/errors';
import { FIRST_LINE } from '../text/range';
import { cedarGateway, type Decision } from '../cedar/gateway';
import { compare } from './expectation';
import type { TestHost } from './host';
import type { PolicyUse, RequestResult, RequestTest, TestFileRun, TestPolicy, ValidationResult } from './model';
import { type PreparedTestFile, prepareTestFile } from './prepareTestFile';
import { stopsRequest } from './problems';
import { satisfiedBy } from './satisfied';

export interface RunOptions {
  /** Run only these requests (by index); the `shouldValidate` check runs only when no filter is given. */
  only?: number[];
  /** Also find which policies each request satisfied (a second Cedar call when a forbid decided). */
  coverage?: boolean;
}

/**
 * Reads a test file and what it names, then runs it (`agentgov test`, the editor, the corpus
 * test). A bug or an input nobody foresaw costs this file its run, said as a problem, never the
 * other files'.
 */
export function runTestFile(file: string, root: string, host: TestHost, options: RunOptions = {}): TestFileRun {
  const started = performance.now();
  try {
    const run = runPrepared(prepareTestFile(file, root, host), options);
    return { ...run, durationMs: performance.now() - started };
  } catch (err) {
    const message = `This file could not be run: ${err instanceof Error ? err.message : String(err)}`;
    return { file, results: [], problems: [{ message, range: FIRST_LINE, severity: 'error' }], uses: [], durationMs: 0 };
  }
}

/**
 * Runs a prepared test file on this thread: exact 64-bit values (`JSON.rawJSON`) do not survive
 * the copy to a Cedar worker, and a request costs ~0.1 ms with the preparsed set. Each request
 * has a result, also one that cannot run (with why), so every test item gets an answer.
 */
export function runPrepared(prepared: PreparedTestFile, options: RunOptions = {}): TestFileRun {
  const started = performance.now();
  const { file, model, problems, ready } = prepared;
  const uses = new Map<string, PolicyUse>(
    (ready?.policies.policies ?? []).map((policy) => [policy.cedarId, { policy, determining: [], satisfied: [] }]),
  );
  const byCedarId = new Map([...uses].map(([id, u]) => [id, u.policy]));
  const results: (RequestResult | ValidationResult)[] = [];
  const fileError = problems.find((p) => p.severity === 'error' && p.request === undefined);
  for (const test of model?.requests ?? []) {
    if (options.only && !options.only.includes(test.index)) continue;
    const base = { kind: 'request' as const, file, index: test.index, description: test.description, range: test.range };
    const stop = problems.find((p) => stopsRequest(p, test.index));
    if (!ready || !test.call || !test.expected || stop) {
      const why = stop ?? fileError;
      results.push({
        ...base,
        passed: false,
        ...(test.expected ? { expected: test.expected } : {}),
        error: `Not run: ${why ? why.message : 'the test file cannot run.'}`,
        notRun: true,
        durationMs: 0,
      });
      continue;
    }
    const t0 = performance.now();
    const answer = decide(test, ready);
    const durationMs = performance.now() - t0;
    if ('failure' in answer) {
      const message = answer.failure.map((e) => cleanMessage(e.message)).join('; ');
      results.push({
        ...base,
        passed: false,
        expected: test.expected,
        error: `Cedar could not decide this request: ${message}`,
        durationMs,
      });
      continue;
    }
    results.push({
      ...base,
      expected: test.expected,
      ...compare(test.expected, answer, byCedarId),
      ...(answer.errors.length
        ? { errorMessages: answer.errors.map((e) => ({ policy: e.policyId, message: cleanMessage(e.message) })) }
        : {}),
      durationMs,
    });
    for (const id of answer.reasons) uses.get(id)?.determining.push(test.index);
    if (options.coverage) for (const id of satisfiedBy(answer, ready, test.call)) uses.get(id)?.satisfied.push(test.index);
  }
  if (!options.only && model?.shouldValidate && ready?.schema)
    results.push(validation(file, model.shouldValidate, ready.schema.json, ready.policies.policies));
  return { file, results, problems, uses: [...uses.values()], durationMs: performance.now() - started };
}

function decide(test: RequestTest, ready: NonNullable<PreparedTestFile['ready']>): Decision | { failure: { message: string }[] } {
  const call = test.call!;
  return cedarGateway.authorize(
    ready.policies.id,
    { principal: call.principal, action: call.action, resource: call.resource, context: call.context as never },
    ready.entities,
    ready.schema?.name,
    call.validateRequest,
  );
}

/** `shouldValidate`: whether Cedar's validator (strict mode) accepts the whole policy set, as the test says. */
function validation(
  file: string,
  expected: { value: boolean; range: ValidationResult['range'] },
  schema: Parameters<typeof cedarGateway.validate>[0],
  policies: TestPolicy[],
): ValidationResult {
  const t0 = performance.now();
  const answer = cedarGateway.validate(
    schema,
    policies.map((p) => ({ id: p.cedarId, text: p.text, isTemplate: false })),
  );
  const durationMs = performance.now() - t0;
  const base = {
    kind: 'validation' as const,
    file,
    description: 'shouldValidate',
    range: expected.range,
    expected: { validates: expected.value },
  };
  if (answer.failure)
    return {
      ...base,
      passed: false,
      error: `Cedar could not validate: ${answer.failure.map((e) => e.message).join('; ')}`,
      durationMs,
    };
  const errors = [...answer.errors].flatMap(([id, list]) => list.map((e) => `${id}: ${cleanMessage(e.message)}`));
  const validates = errors.length === 0;
  return { ...base, passed: validates === expected.value, actual: { validates, errors }, durationMs };
}
