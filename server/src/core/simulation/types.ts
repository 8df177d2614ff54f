import type { Outcome } from '../governance/facts/access';
import type { Range } from '../text/range';
import type { Uid } from './uid';

/** A place in the workspace an editor can open (absolute path, 0-based range). */
export interface SourceLink {
  file: string;
  range: Range;
}

/** A policy as a result names it: its id (SPEC §11), effect and where it is. */
export interface PolicyLink extends SourceLink {
  id: string;
  effect: 'permit' | 'forbid';
}

/** One request as a person writes it (the CLI's options, an editor's form). */
export interface SimulationRequest {
  /** An agent's name (a binding's `name`) or a Cedar uid (`Agent::"x"`). */
  principal: string;
  /** A tool (`tool` or `server/tool`) or a Cedar action uid (`Action::"tool"`). */
  action: string;
  /** A Cedar uid; omitted: the tool's resource (its server). */
  resource?: string;
  /** The context as JSON text, read exactly (64-bit integers, `__extn`, `__entity`); omitted: `{}`. */
  context?: string;
}

/** What in a request cannot be used, said once, with the closest match when there is one. */
export interface SimulationInputError {
  /** `request`: the request as a whole (something none of its parts explains). */
  field: 'principal' | 'action' | 'resource' | 'context' | 'request';
  message: string;
  /** The closest known name or uid. */
  suggestion?: string;
  /** Where in the context text the problem is (a JSON syntax error). */
  range?: Range;
}

/** The request as Cedar got it. `context` may hold exact integers (`JSON.stringify` writes them). */
export interface NormalizedRequest {
  principal: Uid;
  action: Uid;
  resource: Uid;
  context: Record<string, unknown>;
}

/** Cedar's answer to one request, linked to the workspace. */
export interface SimulationAnswer {
  ok: true;
  request: NormalizedRequest;
  /** The agent whose binding names the principal, if any. */
  agent?: SourceLink & { name: string };
  /** The tool whose action it is, if any. */
  tool?: SourceLink & { name: string; server?: string };
  /** Undefined when Cedar could not decide (`failures` says why). */
  decision?: 'allow' | 'deny';
  determining: PolicyLink[];
  /** Policies that errored while deciding (Cedar skips them). */
  errors: { policy?: PolicyLink; policyId: string; message: string }[];
  /** Cedar's own failures: the request does not match the schema, entities Cedar cannot read. */
  failures: string[];
  /** Whether the request was validated against the workspace schema. */
  validated: boolean;
  /** Milliseconds the simulation took. */
  ms: number;
}

export type SimulationResult = SimulationAnswer | { ok: false; error: SimulationInputError };

/** The part of a residual condition one policy contributes. */
export interface ResidualPart {
  policy: string;
  condition: string;
}

/** Where a decision depends on the tool's input: when it is allowed, in Cedar. */
export interface ResidualText {
  /** `allowed when context.input.amount <= 500, unless context.input.amount > 500`. */
  text: string;
  /** The permits' conditions joined by `||`; absent when a permit holds whatever the input. */
  when?: string;
  /** The forbids' conditions joined by `||`. */
  unless?: string;
  permits: ResidualPart[];
  forbids: ResidualPart[];
}

/** One decision of a matrix cell (without or with an approval). */
export interface CellDecision {
  outcome: Outcome;
  /** The determining policies, or where it depends on the input, the policies it depends on. */
  policies: PolicyLink[];
  residual?: ResidualText;
  /** Partial evaluation could not decide on the input alone: why. */
  undecided?: string;
}

/** A binding's identity column: never a secret value (`secrets.ts` masks anything that looks like one). */
export interface IdentityColumn {
  type?: string;
  id?: string;
  credentials: { name: string; type?: string; ttl?: string }[];
}

/** One agent × tool of the access matrix (SPEC §7, §11). */
export interface MatrixCell {
  agent: string;
  tool: string;
  server?: string;
  /** Without an approval (`context.approval` absent). */
  decision: Outcome;
  /** With one (`context.approval = {granted: true}`). */
  withApproval: Outcome;
  /** Ids of the policies behind `decision`. */
  policies: string[];
  identity: IdentityColumn;
  /** The binding's `audit.sink`, or `none`. */
  audit: string;
  risk: { level: string; reason: string };
  /** The Cedar request of the cell (its context: the input unknown, the approval absent or granted). */
  request: { principal: Uid; action: Uid; resource?: Uid };
  /** Whether the agent's binding lists the tool (always, without `all`). */
  listed: boolean;
  without: CellDecision;
  approved: CellDecision;
  /** The binding's entry for the tool (its name when it does not list it) and the tool's definition. */
  links: { binding: SourceLink; tool: SourceLink };
}

/** A bound agent or a listed tool the matrix cannot decide, and why. */
export interface MatrixGap {
  agent: string;
  tool?: string;
  reason: string;
  link: SourceLink;
}

export interface AccessMatrix {
  /** Every agent × every tool, not only the bound pairs. */
  all: boolean;
  cells: MatrixCell[];
  gaps: MatrixGap[];
  /** Requests decided (two per cell) and the milliseconds deciding them took. */
  requests: number;
  ms: number;
}
