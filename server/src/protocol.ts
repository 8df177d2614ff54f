/**
 * Custom messages between the VS Code client and the language server, typed once for both
 * sides (`agentgov/...`), and the file patterns of the product's one classifier, from which the
 * client builds its document selector and file watcher.
 */
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Range } from './core/text/range';
import type { RequestResult, ValidationResult } from './core/requestTests/model';

export { FILE_PATTERNS, type FileRole } from './core/workspace/fileKinds';

/**
 * How the language server is best started (the extension does so; so does `npm run bench`, which
 * reads the same file): one V8 platform thread and two glibc malloc arenas. With Node's default
 * four platform threads, plus the Cedar workers, glibc keeps an arena per thread full of freed
 * compiler and GC memory: on the bench workspace this cuts the server's peak RSS by ~100 MB
 * (README, Performance). Other editors can pass the same flags and variable.
 */
export { default as SERVER_LAUNCH } from './lsp/launch.json';

export interface InventoryToolItem {
  name: string;
  server?: string;
  source: string;
  uri: string;
  range: Range;
  risk: 'high' | 'medium' | 'low';
  riskReason: string;
  description?: string;
  inputFields: { name: string; type: string; required: boolean; description?: string }[];
  agents: string[];
}

export interface InventoryAgentItem {
  name: string;
  principal?: string;
  uri: string;
  range: Range;
  identityType?: string;
  audit?: string;
  /** Tool references as written in the binding. */
  tools: string[];
  unknownTools: string[];
}

export interface InventoryResult {
  tools: InventoryToolItem[];
  agents: InventoryAgentItem[];
}

/** What the server spent its time and memory on (the bench and the Output panel read it). */
export interface StatsResult {
  cedar: Record<string, { calls: number; failures: number; ms: number }>;
  queries: Record<string, number>;
  rssMB: number;
  /** The process's peak resident memory so far. */
  peakRssMB: number;
  /** The main thread's heap in use (garbage not yet collected included), as committed, and memory outside it that JS objects hold (buffers, Wasm). */
  heapMB: number;
  heapTotalMB: number;
  externalMB: number;
  /** Cedar's memory: this thread's linear memory, each worker's size (its Cedar memory and heap), how many workers were replaced for their size. */
  cedarMemory: { mainMB: number; workersMB: number[]; recycled: number };
  /** Files whose diagnostics are still to be (re)computed and published: 0 when the server is idle. */
  pending: number;
  /** The latest work that held the server's thread for 250 ms or more (requests waited behind it). */
  longTasks: { what: string; ms: number }[];
}

/** Request: the workspace's tools and agents for the Governance view. Files are URIs. */
export const InventoryRequest = new RequestType0<InventoryResult, void>('agentgov/inventory');

/** Notification from the server: tools or bindings changed; the view should ask again. */
export const InventoryChangedNotification = new NotificationType0('agentgov/inventoryChanged');

/** Request: the server's statistics. */
export const StatsRequest = new RequestType0<StatsResult, void>('agentgov/stats');

/** A check finished: every file it was asked for is published (or left unchanged). */
export interface CheckedParams {
  /** Files whose findings were brought up to date. */
  files: number;
  /** From the first change it covers to the last diagnostics sent. */
  ms: number;
}

/** Notification from the server: nothing is left to check (tests and the bench wait for it). */
export const CheckedNotification = new NotificationType<CheckedParams>('agentgov/checked');

/** A place an editor opens: a file URI and a 0-based range. */
export interface MatrixLink {
  uri: string;
  range: Range;
}

/** A policy a matrix cell names: its id (SPEC §11), its effect and where it is. */
export interface MatrixPolicyLink extends MatrixLink {
  id: string;
  effect: 'permit' | 'forbid';
}

/** One decision of a cell: without an approval, or with one granted. */
export interface MatrixDecisionItem {
  outcome: 'allow' | 'deny' | 'depends';
  /** The determining policies, or where the decision depends on the input, the policies it depends on. */
  policies: MatrixPolicyLink[];
  /** Where it depends on the input: `allowed when context.input.amount <= 500`. */
  residual?: string;
  /** Why partial evaluation could not decide on the input alone. */
  undecided?: string;
}

/** One agent × tool row of the access matrix (SPEC §7, §11). Identity and audit never hold a secret. */
export interface MatrixCellItem {
  agent: string;
  tool: string;
  server?: string;
  risk: { level: string; reason: string };
  /** `workload spiffe://acme.example/agents/billing`, or `no identity`. */
  identity: string;
  /** `payments-api: jit-token 15m`, one per credential. */
  credentials: string[];
  /** The binding's `audit.sink`, or `none`. */
  audit: string;
  /** Whether the agent's binding lists the tool (always, unless `all`). */
  listed: boolean;
  without: MatrixDecisionItem;
  withApproval: MatrixDecisionItem;
  /** The binding's entry for the tool (its name when it does not list it). */
  binding: MatrixLink;
  /** The tool's definition. */
  definition: MatrixLink;
}

/** A bound agent or a listed tool the matrix cannot decide, and why. */
export interface MatrixGapItem extends MatrixLink {
  agent: string;
  tool?: string;
  reason: string;
}

export interface AccessMatrixParams {
  /** Every agent × every tool, not only the tools each binding lists. */
  all?: boolean;
}

export interface AccessMatrixResult {
  all: boolean;
  cells: MatrixCellItem[];
  gaps: MatrixGapItem[];
  /** Requests decided (two per cell) and the milliseconds deciding them took. */
  requests: number;
  ms: number;
}

/** Request: the access matrix, answered once the workspace's check has settled. Files are URIs. */
export const AccessMatrixRequest = new RequestType<AccessMatrixParams, AccessMatrixResult, void>('agentgov/accessMatrix');

// ---- Simulation in the editor (SPEC §7 "One request"): lenses, pickers, the result, save as test ----

/** What a `▶ Simulate` lens (or any caller of `agentgov.simulateRequest`) pre-fills: an agent's name, a tool as `server/tool`. */
export interface SimulationTarget {
  agent?: string;
  tool?: string;
}

/** A place an editor opens: a file URI and a 0-based range. */
export interface SimulationLink {
  uri: string;
  range: Range;
}

/** What the pickers offer: every agent, tool, known resource uid and request test file. */
export interface SimulationChoicesResult {
  agents: (SimulationLink & { name: string; principal?: string; tools: string[] })[];
  tools: (SimulationLink & {
    /** `server/tool` (the bare name without a server): what a request names it by. */
    label: string;
    name: string;
    server?: string;
    description?: string;
    risk: string;
    action: string;
    /** The tool's resource (its server) as a uid: the default resource of a call. */
    resource?: string;
  })[];
  resources: string[];
  testFiles: string[];
}

/** Request: the choices of the pickers. */
export const SimulationChoicesRequest = new RequestType0<SimulationChoicesResult, void>('agentgov/simulation/choices');

/** Request: the context a call of `tool` starts from, and the JSON Schema of `{input, approval?}` it is typed against. */
export const SimulationContextRequest = new RequestType<
  { tool: string },
  { context: string; schema: Record<string, unknown> } | null,
  void
>('agentgov/simulation/context');

/** One request as a person writes it (the CLI's `simulate` options). */
export interface SimulationRequestParams {
  principal: string;
  action: string;
  /** Omitted: the tool's resource. */
  resource?: string;
  /** JSON text, read exactly (64-bit integers); omitted: `{}`. */
  context?: string;
}

/** A policy a result names, linked to its source. */
export interface SimulationPolicyLink extends SimulationLink {
  id: string;
  effect: 'permit' | 'forbid';
}

/** Cedar's answer to one request, with files as URIs. */
export interface SimulationAnswerItem {
  ok: true;
  /** The request as Cedar got it: uids as Cedar text, the context as exact JSON text. */
  request: { principal: string; action: string; resource: string; context: string };
  agent?: SimulationLink & { name: string };
  tool?: SimulationLink & { name: string; server?: string };
  /** Absent when Cedar could not decide (`failures` says why). */
  decision?: 'allow' | 'deny';
  determining: SimulationPolicyLink[];
  errors: { policyId: string; message: string; policy?: SimulationPolicyLink }[];
  failures: string[];
  validated: boolean;
  ms: number;
}

/** A request that cannot be made: which part, why, and the closest known name. */
export interface SimulationInputErrorItem {
  ok: false;
  error: { field: string; message: string; suggestion?: string };
}

/** Request: decide one request with the workspace's current files (open editors' text included). */
export const SimulateRequest = new RequestType<SimulationRequestParams, SimulationAnswerItem | SimulationInputErrorItem, void>(
  'agentgov/simulation/simulate',
);

export interface SaveAsTestParams {
  request: SimulationRequestParams;
  /** The test file (`*.cedartests.json`): appended to when the workspace holds it, else created. */
  uri: string;
  description?: string;
}

/** The edits that save the request (or the new file's text), and the new request's index in the file. */
export type SaveAsTestResult =
  | { ok: true; uri: string; created: boolean; edits: { range: Range; newText: string }[]; text: string; index: number }
  | { ok: false; message: string };

/** Request: the request decided again now, as a test expecting that answer. The client applies the edits. */
export const SaveAsTestRequest = new RequestType<SaveAsTestParams, SaveAsTestResult, void>('agentgov/simulation/saveAsTest');

/** Request: runs one request of a test file (the saved one) as the file now reads. */
export const RunSavedTestRequest = new RequestType<
  { uri: string; index: number },
  { passed: boolean; message: string } | null,
  void
>('agentgov/simulation/runSavedTest');

// ---- Request tests in the Test Explorer, their coverage and generated tests (issue 10) ----

/** A request of a test file: one test item, at the request's object in the file. */
export interface RequestTestItem {
  index: number;
  description: string;
  range: Range;
}

/** A test file with its requests, read without Cedar. */
export interface RequestTestFileItem {
  uri: string;
  /** Its path relative to its workspace folder. */
  label: string;
  requests: RequestTestItem[];
  /** The `shouldValidate` key, when the file has one (one more test item). */
  validation?: Range;
  /** Why no request can be listed (the file is not JSON, not an object). */
  error?: string;
}

/** Request: the workspace's request test files (`*.cedartests.json`) and their requests. */
export const RequestTestFilesRequest = new RequestType0<{ files: RequestTestFileItem[] }, void>('agentgov/requestTestFiles');

export interface RunRequestTestsParams {
  /** The files to run (default: every test file); `only`: some requests (then `shouldValidate` is not run). */
  files?: { uri: string; only?: number[] }[];
  /** Also which policies each request satisfied, and the coverage of every policy file. */
  coverage?: boolean;
}

/** A result as the runner gives it (`kind: 'request'` with its `index`, or `'validation'`), without the file. */
export type RequestTestResultItem = Omit<RequestResult, 'file'> | Omit<ValidationResult, 'file'>;

/** One policy's coverage: how many requests made it determining, and how many satisfied its condition. */
export interface PolicyCoverageItem {
  id: string;
  effect: 'permit' | 'forbid';
  range: Range;
  determining: number;
  satisfied: number;
}

export interface RunRequestTestsResult {
  files: { uri: string; results: RequestTestResultItem[]; durationMs: number }[];
  /** Every policy file of the workspace (those no test reaches too), when coverage was asked. */
  coverage?: { uri: string; policies: PolicyCoverageItem[] }[];
}

/** Request: runs request tests (on the server's thread, with the editor's texts). */
export const RunRequestTestsRequest = new RequestType<RunRequestTestsParams, RunRequestTestsResult, void>(
  'agentgov/runRequestTests',
);

/** A policy no request of any test file makes determining or satisfies. */
export interface UntestedPolicyItem {
  uri: string;
  id: string;
  effect: 'permit' | 'forbid';
  range: Range;
}

/** Request: the workspace's untested policies (every test file is run for it). */
export const UntestedPoliciesRequest = new RequestType0<{ policies: UntestedPolicyItem[] }, void>('agentgov/untestedPolicies');

/** A policy, schema, entities or test file changed (its findings were just brought up to date). */
export interface RequestTestsChangedParams {
  uris: string[];
}

/** Notification from the server: test items may have changed, and test results may be out of date. */
export const RequestTestsChangedNotification = new NotificationType<RequestTestsChangedParams>('agentgov/requestTestsChanged');

export interface GenerateRequestTestsParams {
  /** A policy file; without it, every bound agent × tool of the workspace. */
  uri?: string;
  /** One policy of that file (its id, SPEC §11). */
  policy?: string;
}

export interface GenerateRequestTestsResult {
  /** The test files to write (whole texts), not yet written. */
  files: { uri: string; text: string; created: boolean; added: number }[];
  /** Pairs no request could be written for, and why. */
  skipped: { agent: string; tool: string; reason: string }[];
  /** Agent × tool pairs the policy (or the workspace) decides. */
  pairs: number;
}

/** Request: request tests of today's decisions (the editor writes the files it answers). */
export const GenerateRequestTestsRequest = new RequestType<GenerateRequestTestsParams, GenerateRequestTestsResult, void>(
  'agentgov/generateRequestTests',
);

/** The client command that generates request tests; the policy code action calls it with `[uri, policyId]`. */
export const GENERATE_REQUEST_TESTS_COMMAND = 'agentgov.generateRequestTests';
