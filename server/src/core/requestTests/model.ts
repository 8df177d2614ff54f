import type { RelatedInformation } from '../findings/finding';
import type { Range } from '../text/range';

/** The rule id of every problem of a request test file (SPEC §7, §11). */
export const TESTS_RULE = 'agentgov-tests';

/**
 * Something that keeps a test file, or one of its requests, from running as written. `request`
 * is the index of the one request it stops; without it, an error stops the whole file.
 */
export interface TestProblem {
  message: string;
  range: Range;
  severity: 'error' | 'warning';
  help?: string;
  related?: RelatedInformation[];
  request?: number;
}

/** What a request test expects: Cedar's decision, and (when given) the determining and erroring policies. */
export interface Expectation {
  decision: 'allow' | 'deny';
  reason?: string[];
  errors?: string[];
}

/** A path written in a test file, with the range of its string. */
export interface PathRef {
  path: string;
  range: Range;
}

/** Cedar text written inline in a test file (`policiesText`, `schemaText`). */
export interface TextRef {
  text: string;
  range: Range;
}

/** An entity uid as a test names it (the `__entity` form is read into this one). */
export interface Uid {
  type: string;
  id: string;
}

/** What Cedar is asked for one request; uids are `{type, id}`, values exact (64-bit integers kept). */
export interface RequestCall {
  principal: Uid;
  action: Uid;
  resource: Uid;
  context: Record<string, unknown>;
  /** Validate the request against the schema (default true, as in Cedar's integration tests). */
  validateRequest: boolean;
  /** Where each uid is written, for names the schema does not declare. */
  ranges: { principal: Range; action: Range; resource: Range };
}

/** One request of a test file: what the editor shows (one test item) and, when well formed, what runs. */
export interface RequestTest {
  index: number;
  description: string;
  /** The request's object in the `requests` array. */
  range: Range;
  expected?: Expectation;
  /** Absent when the request is malformed (its problems say why). */
  call?: RequestCall;
}

/** A test file as written, before anything it names is read. */
export interface RequestTestFile {
  policies: PathRef[];
  policiesText?: TextRef;
  /** A path, or entities written inline (Cedar's entity JSON, values exact). */
  entities?: PathRef | { inline: unknown[]; range: Range };
  schema?: PathRef;
  schemaText?: TextRef;
  shouldValidate?: { value: boolean; range: Range };
  requests: RequestTest[];
  /** The whole file's first character: where problems about a missing key go. */
  start: Range;
}

/** Cedar's answer as a test compares it: policy ids as the workspace names them. */
export interface Outcome {
  decision: 'allow' | 'deny';
  reason: string[];
  errors: string[];
}

/** The result of one request. */
export interface RequestResult {
  kind: 'request';
  file: string;
  index: number;
  description: string;
  range: Range;
  passed: boolean;
  expected?: Expectation;
  actual?: Outcome;
  /** What differs from the expectation. */
  mismatches?: ('decision' | 'reason' | 'errors')[];
  /** Why the request did not run, or why Cedar could not decide it. */
  error?: string;
  /** It did not run: a problem of the file or of the request stopped it (`error` says which). */
  notRun?: true;
  /** Cedar's message for each erroring policy. */
  errorMessages?: { policy: string; message: string }[];
  durationMs: number;
}

/** The result of a file's `shouldValidate`: whether Cedar's validator accepts its policies. */
export interface ValidationResult {
  kind: 'validation';
  file: string;
  description: string;
  range: Range;
  passed: boolean;
  expected: { validates: boolean };
  actual?: { validates: boolean; errors: string[] };
  error?: string;
  durationMs: number;
}

export type TestResult = RequestResult | ValidationResult;

/** One policy of a test file's policy set, linked to its source. */
export interface TestPolicy {
  /** The id Cedar gives it in this set: its `id`, or `file#id` when two files use the same one. */
  cedarId: string;
  /** SPEC §11: the `@id`, else `policyN` by position in its file. */
  id: string;
  /** `policyN` by position in its file (a test may name a policy this way even when it has an `@id`). */
  positional: string;
  /** The policy file (the test file itself for `policiesText`). */
  file: string;
  /** The statement; for `policiesText`, the whole string. */
  range: Range;
  effect: 'permit' | 'forbid';
  text: string;
}

/** A policy of a tested file, and which requests made it determining or satisfied it. */
export interface PolicyUse {
  policy: TestPolicy;
  /** Indices of the requests for which it was determining (a reason). */
  determining: number[];
  /** Indices of the requests whose condition it satisfied (only when coverage is asked). */
  satisfied: number[];
}

/** A test file's run. */
export interface TestFileRun {
  file: string;
  results: TestResult[];
  problems: TestProblem[];
  /** Every policy of the file's policy set and its use by the requests run. */
  uses: PolicyUse[];
  durationMs: number;
}
