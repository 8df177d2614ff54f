import type { FileCoverage, TestFileRun, TestResult } from '../core/requestTests';
import type { Range } from '../core/text/range';
import { type JsonFinding, toJsonFinding } from './findingsJson';
import { problemFindings } from '../core/requestTests';

/** One result in `agentgov test`'s JSON (SPEC §11: file, description, passed, expected, actual). */
export interface JsonTestResult {
  file: string;
  description: string;
  passed: boolean;
  expected?: TestResult['expected'];
  actual?: TestResult['actual'];
  /** The request's object (or the `shouldValidate` key), 0-based. */
  range: Range;
  /** `request`, or `validation` for `shouldValidate`. */
  kind: TestResult['kind'];
  /** What differs: `decision`, `reason`, `errors`. */
  mismatches?: string[];
  /** Why it did not run, or why Cedar could not decide it. */
  error?: string;
  /** It did not run (a problem of its file stopped it). */
  notRun?: true;
  /** Cedar's message for each erroring policy. */
  errorMessages?: { policy: string; message: string }[];
}

export interface JsonPolicyCoverage {
  id: string;
  effect: string;
  range: Range;
  /** How many requests made it determining / satisfied it. */
  determining: number;
  satisfied: number;
}

export interface TestReport {
  results: JsonTestResult[];
  summary: {
    passed: number;
    /** Everything that did not pass, `notRun` included. */
    failed: number;
    notRun: number;
    /** Problems of the test files (a path that does not exist, a malformed request…). */
    problems: number;
    files: number;
    ms: number;
  };
  problems: JsonFinding[];
  coverage?: {
    file: string;
    policies: number;
    determining: number;
    satisfied: number;
    byPolicy: JsonPolicyCoverage[];
  }[];
}

/** The report of some test files' runs, paths as `shown` makes them. */
export function testReport(
  runs: TestFileRun[],
  coverage: FileCoverage[] | undefined,
  shown: (path: string) => string,
  ms: number,
): TestReport {
  const results = runs.flatMap((run) => run.results.map((r) => jsonResult(r, shown)));
  const problems = runs.flatMap((run) => problemFindings(run.file, run.problems).map((f) => toJsonFinding(f, shown)));
  const passed = results.filter((r) => r.passed).length;
  return {
    results,
    summary: {
      passed,
      failed: results.length - passed,
      notRun: results.filter((r) => r.notRun).length,
      problems: problems.length,
      files: runs.length,
      ms: Math.round(ms),
    },
    problems,
    ...(coverage
      ? {
          coverage: coverage.map((c) => ({
            file: shown(c.file),
            policies: c.policies.length,
            determining: c.determining,
            satisfied: c.satisfied ?? 0,
            byPolicy: c.policies.map((p) => ({
              id: p.id,
              effect: p.effect,
              range: p.range,
              determining: p.determining.length,
              satisfied: p.satisfied?.length ?? 0,
            })),
          })),
        }
      : {}),
  };
}

function jsonResult(r: TestResult, shown: (path: string) => string): JsonTestResult {
  return {
    file: shown(r.file),
    description: r.description,
    passed: r.passed,
    ...(r.expected ? { expected: r.expected } : {}),
    ...(r.actual ? { actual: r.actual } : {}),
    range: r.range,
    kind: r.kind,
    ...(r.kind === 'request' && r.mismatches ? { mismatches: r.mismatches } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.kind === 'request' && r.notRun ? { notRun: true as const } : {}),
    ...(r.kind === 'request' && r.errorMessages ? { errorMessages: r.errorMessages } : {}),
  };
}

/** Exit 1 (SPEC §9) when a test failed or did not run, or a test file has a problem. */
export function testsFail(report: TestReport): boolean {
  return report.summary.failed > 0 || report.summary.problems > 0;
}
