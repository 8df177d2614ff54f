import type { CedarValue, DetailedError, EntityUid, PartialDecision, PolicyText, SchemaJson } from './types';

/** What the main thread asks a Cedar worker (worker.ts) to do; every answer is plain data. */
export type WorkerRequest =
  | { op: 'validate'; schema: SchemaJson; policies: PolicyText[] }
  | { op: 'schemaText'; text: string }
  | { op: 'checkSchema'; schema: SchemaJson }
  | { op: 'checkEntities'; entities: unknown; schema: SchemaJson | null }
  | { op: 'parse'; policies: Omit<PolicyText, 'id'>[] }
  | { op: 'partialBatch'; entities: unknown[]; calls: PartialCall[] };

/** One partial evaluation of a batch (the entities are the batch's). */
export interface PartialCall {
  policies: PolicyText[];
  /**
   * Policies that cannot depend on the unknowns, decided concretely with preparsed sets (`id`
   * names a set's content; several, so that sets many calls share are parsed once); `effects`
   * gives every policy's effect, for combining the answers.
   */
  fixed?: { id: string; policies: PolicyText[] }[];
  effects?: Record<string, 'permit' | 'forbid'>;
  request: { principal?: EntityUid; action?: EntityUid; resource?: EntityUid; context: Record<string, CedarValue> };
}

export type PartialAnswer = PartialDecision | { failure: DetailedError[] };

export interface ValidateAnswer {
  errors: [string, DetailedError[]][];
  warnings: [string, DetailedError[]][];
  failure?: DetailedError[];
}

/** A Cedar-syntax schema's check and conversion, as `checkSchema` and `schemaToJson` answer them. */
export interface SchemaTextAnswer {
  checkErrors: DetailedError[];
  conversion: { json?: SchemaJson; errors: DetailedError[]; warnings: DetailedError[] };
}

export type WorkerAnswer = ValidateAnswer | SchemaTextAnswer | DetailedError[] | DetailedError[][] | PartialAnswer[];

/** The worker bundle's file name beside each Node bundle (scripts/build.mjs builds it). */
export const CEDAR_WORKER_BUNDLE = 'cedar-worker.js';
