import { policyTooDeepError, schemaTextTooDeepError, valueTooDeepError } from './guards';
import { Memo } from '../../engine/memo';
import { withExactStringify } from '../../text/losslessJson';
import { type CedarWasm, loadCedar } from './load';
import { combineSplit, mergeDecided } from './splitPartial';
import type { PartialCall, SchemaTextAnswer } from './workerProtocol';
import type {
  CallStats,
  CedarValue,
  Decision,
  DetailedError,
  PartialDecision,
  PolicyText,
  Request,
  SchemaJson,
  ValidationResult,
} from './types';

type Op =
  | 'parsePolicy'
  | 'validate'
  | 'checkSchema'
  | 'schemaToJson'
  | 'checkEntities'
  | 'format'
  | 'preparse'
  | 'authorize'
  | 'authorizePartial'
  | 'policyToText';

/** A cedar-wasm call, its integers beyond 2^53 passed exactly (`withExactStringify`). */
function exactly<A, R>(call: A, f: (call: A) => R): R {
  return withExactStringify(call, () => f(call));
}

function thrown(e: unknown, what: string): DetailedError {
  return {
    message: `${what}: ${e instanceof Error ? e.message : String(e)}`,
    help: null,
    code: null,
    url: null,
    severity: 'error',
  };
}

/** Does a context hold an `unknown(...)` extension value (partial evaluation)? */
function hasUnknown(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const extn = (v as { __extn?: { fn?: unknown } }).__extn;
  if (extn && extn.fn === 'unknown') return true;
  return (Array.isArray(v) ? v : Object.values(v)).some(hasUnknown);
}

/**
 * The one module that talks to cedar-wasm. Every call passes the nesting guards, is timed, and
 * answers instead of throwing: a wrongly shaped call or a Cedar panic becomes an error in the
 * answer, so one file's failure never costs another file its findings. Schemas and policy sets
 * that are used many times (authorization) are preparsed once and kept by name.
 */
export class CedarGateway {
  private readonly stats = new Map<Op, CallStats>();
  private readonly preparsedSchemas = new Map<string, string>();
  private readonly preparsedSets = new Set<string>();
  /** Answers for schema texts computed elsewhere (a Cedar worker), used instead of calling Cedar again. */
  private readonly schemaTexts = new Memo<string, SchemaTextAnswer>('schema text answers', 8);

  /** Keeps a worker's check and conversion of a schema text for `checkSchema` and `schemaToJson`. */
  rememberSchemaText(text: string, answer: SchemaTextAnswer): void {
    this.schemaTexts.set(text, answer);
  }

  /** Whether a schema text's check and conversion are known without calling Cedar. */
  hasSchemaText(text: string): boolean {
    return this.schemaTexts.get(text) !== undefined;
  }

  /** Time spent in Cedar per operation since the start (or `resetStats`). */
  callStats(): Record<string, CallStats> {
    return Object.fromEntries(this.stats);
  }

  resetStats(): void {
    this.stats.clear();
  }

  /**
   * A Wasm trap (a stack overflow or a fault inside cedar-wasm) leaves its instance corrupt: every
   * later call may fail or answer wrongly. The guards exist so that this never happens; should it
   * happen anyway, a worker ends itself after answering and the pool starts a fresh one.
   */
  broken = false;

  private call<T>(op: Op, f: (c: typeof CedarWasm) => T, onThrow: (e: unknown) => T): T {
    const s = this.stats.get(op) ?? { calls: 0, failures: 0, ms: 0 };
    this.stats.set(op, s);
    const started = performance.now();
    s.calls++;
    try {
      return f(loadCedar());
    } catch (e) {
      s.failures++;
      if (e instanceof Error && e.name === 'RuntimeError') this.broken = true;
      return onThrow(e);
    } finally {
      s.ms += performance.now() - started;
    }
  }

  /** Parse errors of one policy or template (byte offsets into its text). */
  parsePolicy(p: Omit<PolicyText, 'id'>): DetailedError[] {
    const deep = policyTooDeepError(p.text);
    if (deep) return [deep];
    const set = p.isTemplate ? { templates: { t: p.text } } : { staticPolicies: { p: p.text } };
    return this.call(
      'parsePolicy',
      (c) => {
        const answer = c.checkParsePolicySet(set);
        return answer.type === 'failure' ? answer.errors : [];
      },
      (e) => [thrown(e, 'Cedar could not parse this policy')],
    );
  }

  /**
   * Whether all these policies parse, in one call (a set parses much faster than its policies
   * one by one). Cedar does not say which policy an error belongs to: callers split the set.
   */
  parsesAll(policies: Omit<PolicyText, 'id'>[]): boolean {
    if (policies.some((p) => policyTooDeepError(p.text))) return false;
    const staticPolicies: Record<string, string> = {};
    const templates: Record<string, string> = {};
    policies.forEach((p, i) => ((p.isTemplate ? templates : staticPolicies)[`p${i}`] = p.text));
    return this.call(
      'parsePolicy',
      (c) => c.checkParsePolicySet({ staticPolicies, templates }).type === 'success',
      () => false,
    );
  }

  /** Each policy's parse errors, finding them by splitting the set (one call when all parse). */
  parseEach(policies: Omit<PolicyText, 'id'>[]): DetailedError[][] {
    const out: DetailedError[][] = policies.map(() => []);
    const bisect = (idx: number[]): void => {
      if (idx.length <= 2) {
        for (const i of idx) out[i] = this.parsePolicy(policies[i]);
        return;
      }
      if (this.parsesAll(idx.map((i) => policies[i]))) return;
      bisect(idx.slice(0, idx.length >> 1));
      bisect(idx.slice(idx.length >> 1));
    };
    for (let i = 0; i < policies.length; i += 400)
      bisect(Array.from({ length: Math.min(400, policies.length - i) }, (_, k) => i + k));
    return out;
  }

  /**
   * Strict validation of policies (each parsed on its own already) against a schema, in one call.
   * Offsets in the errors are relative to each policy's own text.
   */
  validate(schema: SchemaJson, policies: PolicyText[]): ValidationResult {
    const result: ValidationResult = { errors: new Map(), warnings: new Map() };
    const staticPolicies: Record<string, string> = {};
    const templates: Record<string, string> = {};
    for (const p of policies) {
      const deep = policyTooDeepError(p.text);
      if (deep) result.errors.set(p.id, [deep]);
      else (p.isTemplate ? templates : staticPolicies)[p.id] = p.text;
    }
    const deepSchema = valueTooDeepError(schema, 'schema');
    if (deepSchema) return { ...result, failure: [deepSchema] };
    if (!Object.keys(staticPolicies).length && !Object.keys(templates).length) return result;
    const add = (map: Map<string, DetailedError[]>, id: string, e: DetailedError) => map.set(id, [...(map.get(id) ?? []), e]);
    return this.call(
      'validate',
      (c) => {
        const answer = c.validate({ validationSettings: { mode: 'strict' }, schema, policies: { staticPolicies, templates } });
        if (answer.type === 'failure') return { ...result, failure: answer.errors };
        for (const { policyId, error } of answer.validationErrors) add(result.errors, policyId, error);
        for (const { policyId, error } of answer.validationWarnings) add(result.warnings, policyId, error);
        return result;
      },
      (e) => ({ ...result, failure: [thrown(e, 'Cedar could not validate these policies')] }),
    );
  }

  /** Errors of a schema (Cedar syntax or JSON); empty when it is valid. */
  checkSchema(schema: string | SchemaJson): DetailedError[] {
    if (typeof schema === 'string') return this.schemaText(schema).checkErrors;
    const deep = valueTooDeepError(schema, 'schema');
    return deep ? [deep] : this.checkParse(schema);
  }

  /**
   * A Cedar-syntax schema's check and conversion. Converted first, then its JSON checked: that
   * check costs a third of the text's (Cedar parses the text once, not twice), and an error found
   * either way is reported from the text's own check, whose messages point into the text. Same
   * answers as checking the text (test/core/schemaText.test.ts, on Cedar's corpus and mutants).
   */
  schemaText(text: string): SchemaTextAnswer {
    const known = this.schemaTexts.get(text);
    if (known) return known;
    const deep = schemaTextTooDeepError(text);
    if (deep) return this.schemaTexts.set(text, { checkErrors: [deep], conversion: { errors: [deep], warnings: [] } });
    const conversion = this.schemaToJson(text);
    const jsonOk = !!conversion.json && !this.checkParse(conversion.json).length;
    const checkErrors = jsonOk ? [] : this.checkParse(text);
    return this.schemaTexts.set(text, { checkErrors, conversion });
  }

  private checkParse(schema: string | SchemaJson): DetailedError[] {
    return this.call(
      'checkSchema',
      (c) => {
        const answer = c.checkParseSchema(schema);
        return answer.type === 'failure' ? answer.errors : [];
      },
      // A wrongly shaped JSON schema makes cedar-wasm throw instead of answering.
      (e) => [thrown(e, "schema is not in Cedar's JSON format")],
    );
  }

  /** A Cedar-syntax schema in Cedar's JSON format, with its warnings. */
  schemaToJson(text: string): { json?: SchemaJson; errors: DetailedError[]; warnings: DetailedError[] } {
    const known = this.schemaTexts.get(text)?.conversion;
    if (known) return known;
    const deep = schemaTextTooDeepError(text);
    if (deep) return { errors: [deep], warnings: [] };
    return this.call(
      'schemaToJson',
      (c) => {
        const answer = c.schemaToJson(text);
        return answer.type === 'success'
          ? { json: answer.json, errors: [], warnings: answer.warnings }
          : { errors: answer.errors, warnings: [] };
      },
      (e) => ({ errors: [thrown(e, 'Cedar could not read this schema')], warnings: [] }),
    );
  }

  /** Errors of entities (Cedar's JSON format), checked against a schema when one is given. */
  checkEntities(entities: unknown, schema: SchemaJson | null): DetailedError[] {
    const deep = valueTooDeepError(entities, 'entities value') ?? (schema ? valueTooDeepError(schema, 'schema') : undefined);
    if (deep) return [deep];
    return this.call(
      'checkEntities',
      (c) => {
        const answer = exactly({ entities: entities as CedarWasm.Entities, schema }, (call) => c.checkParseEntities(call));
        return answer.type === 'failure' ? answer.errors : [];
      },
      (e) => [thrown(e, "not in Cedar's entity JSON format")],
    );
  }

  /** Cedar's formatting of a policy file, or undefined when it does not parse or is too deep. */
  format(text: string, options: { indentWidth: number; lineWidth: number }, statements: string[]): string | undefined {
    // The formatter recurses like the parser: never hand it what would overflow its stack.
    if (statements.some((s) => policyTooDeepError(s))) return undefined;
    return this.call(
      'format',
      (c) => {
        const answer = c.formatPolicies({ policyText: text, indentWidth: options.indentWidth, lineWidth: options.lineWidth });
        return answer.type === 'success' ? answer.formatted_policy : undefined;
      },
      () => undefined,
    );
  }

  /** Cedar text of a policy in Cedar's JSON form (e.g. a residual). */
  policyToText(policy: unknown): string | undefined {
    if (valueTooDeepError(policy, 'policy')) return undefined;
    return this.call(
      'policyToText',
      (c) => {
        const answer = c.policyToText(policy as CedarWasm.Policy);
        return answer.type === 'success' ? answer.text : undefined;
      },
      () => undefined,
    );
  }

  /**
   * Keeps a schema parsed inside Cedar under `name` for `authorize`. Re-preparsing the same
   * name with the same content key is free.
   */
  preparseSchema(name: string, contentKey: string, schema: SchemaJson): DetailedError[] {
    if (this.preparsedSchemas.get(name) === contentKey) return [];
    const deep = valueTooDeepError(schema, 'schema');
    if (deep) return [deep];
    const errors = this.call(
      'preparse',
      (c) => {
        const answer = c.preparseSchema(name, schema);
        return answer.type === 'failure' ? answer.errors : [];
      },
      (e) => [thrown(e, 'Cedar could not preparse this schema')],
    );
    if (!errors.length) this.preparsedSchemas.set(name, contentKey);
    return errors;
  }

  /** Keeps a policy set parsed inside Cedar under `id` (a new id per content: ids are never reused for other text). */
  preparsePolicySet(id: string, policies: PolicyText[]): DetailedError[] {
    if (this.preparsedSets.has(id)) return [];
    const deep = policies.map((p) => policyTooDeepError(p.text)).find(Boolean);
    if (deep) return [deep];
    const staticPolicies: Record<string, string> = {};
    const templates: Record<string, string> = {};
    for (const p of policies) (p.isTemplate ? templates : staticPolicies)[p.id] = p.text;
    const errors = this.call(
      'preparse',
      (c) => {
        const answer = c.preparsePolicySet(id, { staticPolicies, templates });
        return answer.type === 'failure' ? answer.errors : [];
      },
      (e) => [thrown(e, 'Cedar could not preparse these policies')],
    );
    if (!errors.length) this.preparsedSets.add(id);
    return errors;
  }

  /**
   * A decision with a preparsed policy set (and schema: entities are read by it, and the request
   * is validated against it unless `validateRequest` is false, as a request test may say).
   */
  authorize(
    policySetId: string,
    request: Request,
    entities: unknown[],
    schemaName?: string,
    validateRequest = true,
  ): Decision | { failure: DetailedError[] } {
    const deep = valueTooDeepError(request.context, 'context') ?? valueTooDeepError(entities, 'entities value');
    if (deep) return { failure: [deep] };
    return this.call(
      'authorize',
      (c): Decision | { failure: DetailedError[] } => {
        const answer = exactly(
          {
            principal: request.principal,
            action: request.action,
            resource: request.resource,
            context: request.context as CedarWasm.Context,
            entities: entities as CedarWasm.Entities,
            preparsedPolicySetId: policySetId,
            ...(schemaName ? { preparsedSchemaName: schemaName, validateRequest } : { validateRequest: false }),
          },
          (call) => c.statefulIsAuthorized(call),
        );
        if (answer.type === 'failure') return { failure: answer.errors };
        const d = answer.response.diagnostics;
        return {
          decision: answer.response.decision,
          reasons: d.reason,
          errors: d.errors.map((e) => ({ policyId: e.policyId, message: e.error.message })),
        };
      },
      (e) => ({ failure: [thrown(e, 'Cedar could not decide this request')] }),
    );
  }

  /**
   * Partial evaluation: `undefined` principal/action/resource and `{__extn: {fn: "unknown"}}`
   * values are unknowns. Handles cedar-wasm's pitfalls: a missing context throws (we always pass
   * one), and with a schema an unknown inside the context fails request validation (so the
   * request is not validated then).
   */
  authorizePartial(
    policies: PolicyText[],
    request: Partial<Omit<Request, 'context'>> & { context?: Record<string, CedarValue> },
    entities: unknown[],
    schema?: SchemaJson,
  ): PartialDecision | { failure: DetailedError[] } {
    const context = request.context ?? {};
    const deep =
      valueTooDeepError(context, 'context') ??
      valueTooDeepError(entities, 'entities value') ??
      policies.map((p) => policyTooDeepError(p.text)).find(Boolean);
    if (deep) return { failure: [deep] };
    const staticPolicies: Record<string, string> = {};
    const templates: Record<string, string> = {};
    for (const p of policies) (p.isTemplate ? templates : staticPolicies)[p.id] = p.text;
    return this.call(
      'authorizePartial',
      (c): PartialDecision | { failure: DetailedError[] } => {
        const answer = exactly(
          {
            principal: request.principal ?? null,
            action: request.action ?? null,
            resource: request.resource ?? null,
            context: context as CedarWasm.Context,
            policies: { staticPolicies, templates },
            entities: entities as CedarWasm.Entities,
            ...(schema ? { schema, validateRequest: !hasUnknown(context) } : {}),
          } as CedarWasm.PartialAuthorizationCall,
          (call) => c.isAuthorizedPartial(call),
        );
        if (answer.type === 'failure') return { failure: answer.errors };
        const r = answer.response;
        return {
          decision: r.decision ?? undefined,
          satisfied: r.satisfied,
          errored: r.errored,
          mayBeDetermining: r.mayBeDetermining,
          mustBeDetermining: r.mustBeDetermining,
          residuals: r.residuals as Record<string, unknown>,
          nontrivialResiduals: r.nontrivialResiduals,
        };
      },
      (e) => ({ failure: [thrown(e, 'Cedar could not partially evaluate this request')] }),
    );
  }

  /**
   * A partial evaluation whose fixed part (policies that read no unknown) is decided by a
   * preparsed set instead of being parsed again with the rest (`splitPartial.ts`).
   */
  authorizeSplit(call: PartialCall, entities: unknown[]): PartialDecision | { failure: DetailedError[] } {
    const sets = (call.fixed ?? []).filter((f) => f.policies.length);
    if (!sets.length) return this.authorizePartial(call.policies, call.request, entities);
    const { principal, action, resource } = call.request;
    if (!principal || !action || !resource)
      return { failure: [thrown('the fixed part needs a known principal, action and resource', 'Cedar')] };
    const decided: Decision[] = [];
    for (const set of sets) {
      const prepared = this.preparsePolicySet(set.id, set.policies);
      if (prepared.length) return { failure: prepared };
      const answer = this.authorize(set.id, { principal, action, resource, context: {} }, entities);
      if ('failure' in answer) return answer;
      decided.push(answer);
    }
    const fixed = mergeDecided(decided);
    // A forbid of the fixed part holds whatever the input: denied, by it (combineSplit reads
    // nothing else of the rest then), without parsing the rest at all.
    if (fixed.decision === 'deny' && fixed.reasons.length) return combineSplit(fixed, undefined, (id) => call.effects?.[id]);
    const rest = call.policies.length ? this.authorizePartial(call.policies, call.request, entities) : undefined;
    if (rest && 'failure' in rest) return rest;
    return combineSplit(fixed, rest, (id) => call.effects?.[id]);
  }
}

/** The process's gateway: cedar-wasm is one instance per process, so is its gateway. */
export const cedarGateway = new CedarGateway();
