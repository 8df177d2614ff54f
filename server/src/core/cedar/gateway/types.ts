import type { CedarWasm } from './load';

/** Cedar's types as the rest of the core sees them (type-only: no code of cedar-wasm is loaded). */
export type { CedarWasm };
export type DetailedError = CedarWasm.DetailedError;
export type SchemaJson = CedarWasm.SchemaJson<string>;
export type EntityUid = CedarWasm.EntityUidJson;
export type CedarValue = CedarWasm.CedarValueJson;
export type EntityJson = CedarWasm.EntityJson;

/** One policy handed to Cedar under an id of the caller's choosing. */
export interface PolicyText {
  id: string;
  text: string;
  isTemplate: boolean;
}

/** What `validate` found, per policy id; `failure` when Cedar could not validate at all. */
export interface ValidationResult {
  errors: Map<string, DetailedError[]>;
  warnings: Map<string, DetailedError[]>;
  failure?: DetailedError[];
}

export interface Decision {
  decision: 'allow' | 'deny';
  /** Ids of the determining policies. */
  reasons: string[];
  errors: { policyId: string; message: string }[];
}

export interface PartialDecision {
  /** `undefined`: it depends on the unknowns. */
  decision?: 'allow' | 'deny';
  satisfied: string[];
  errored: string[];
  mayBeDetermining: string[];
  mustBeDetermining: string[];
  /** Policy id → residual policy (Cedar JSON), for those whose condition still depends on unknowns. */
  residuals: Record<string, unknown>;
  nontrivialResiduals: string[];
}

export interface Request {
  principal: EntityUid;
  action: EntityUid;
  resource: EntityUid;
  context: Record<string, CedarValue>;
}

/** Time spent in Cedar, per operation (for the bench and the server's log). */
export interface CallStats {
  calls: number;
  failures: number;
  ms: number;
}
