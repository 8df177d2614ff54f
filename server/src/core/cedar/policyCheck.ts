import type { Finding } from '../findings/finding';
import { findingFromCedarError, sliceOf, type TextSlice } from './errors';
import type { PolicyFileModel, PolicyStatement } from './policyFile';
import type { SchemaModel } from './schemaModel';
import { codeTokens } from './lexer';
import { POLICY_DEPTH_LIMIT, BOOLEAN_CHAIN_LIMIT, policyDepth, policyTooDeep } from './nesting';
import { cedar, type DetailedError } from './wasm';

interface StatementResult {
  errors: DetailedError[];
  warnings: DetailedError[];
}

const MAX_CACHED = 50_000;
const parseCache = new Map<string, DetailedError[]>();

function cacheKey(s: PolicyStatement): string {
  return (s.isTemplate ? 't' : 's') + s.text;
}

function statementSlice(file: string, model: PolicyFileModel, s: PolicyStatement): TextSlice {
  return sliceOf(file, model.lines, s.start, s.end, model.lines.range(s.effectStart, s.effectEnd));
}

/** Cedar's parse errors of one statement (cached by its text: unchanged policies cost nothing). */
export function statementParseErrors(s: PolicyStatement): DetailedError[] {
  const key = cacheKey(s);
  let errors = parseCache.get(key);
  if (!errors) {
    errors = tooDeepErrors(s.text) ?? cedarParseErrors(s);
    if (parseCache.size >= MAX_CACHED) parseCache.clear();
    parseCache.set(key, errors);
  }
  return errors;
}

function cedarParseErrors(s: PolicyStatement): DetailedError[] {
  const set = s.isTemplate ? { templates: { t: s.text } } : { staticPolicies: { p: s.text } };
  const answer = cedar().checkParsePolicySet(set);
  return answer.type === 'failure' ? answer.errors : [];
}

/** Nesting that would overflow cedar-wasm's stack (see nesting.ts) is an error of ours, never a Cedar call. */
export function tooDeepErrors(text: string): DetailedError[] | undefined {
  const report = policyDepth(codeTokens(text));
  if (!policyTooDeep(report)) return undefined;
  const start = Buffer.byteLength(text.slice(0, report.at?.start ?? 0));
  const what = report.booleanOps > BOOLEAN_CHAIN_LIMIT ? `${report.booleanOps} \`&&\`/\`||\` operators (the limit is ${BOOLEAN_CHAIN_LIMIT})` : `nesting too deep (about ${report.depth} levels; the limit is ${POLICY_DEPTH_LIMIT})`;
  return [{ message: `This policy is too complex for Cedar to check safely: ${what}. It was not checked.`, help: 'Split the condition into several policies, or flatten nested expressions.', code: null, url: null, severity: 'error', sourceLocations: [{ start, end: start + Buffer.byteLength(report.at?.text ?? ''), label: null }] }];
}

/** Parse findings of a policy file, each on its exact range. */
export function policyParseFindings(file: string, model: PolicyFileModel): Finding[] {
  const out: Finding[] = [];
  for (const s of model.statements) {
    for (const err of statementParseErrors(s)) out.push(findingFromCedarError(err, statementSlice(file, model, s), 'cedar-parse'));
  }
  return out;
}

/**
 * Validates policies against schemas. Results are cached per schema and statement text, and
 * everything missing from the cache is validated in one cedar-wasm call, because every call
 * pays for parsing the whole schema again.
 */
export class PolicyValidator {
  private readonly bySchema = new Map<string, Map<string, StatementResult>>();

  validate(schema: SchemaModel, files: { file: string; model: PolicyFileModel }[]): Map<string, Finding[]> {
    const cache = this.cacheFor(schema.key);
    const pending = new Map<string, PolicyStatement>();
    for (const { model } of files) {
      for (const s of model.statements) {
        const key = cacheKey(s);
        if (!cache.has(key) && !pending.has(key) && statementParseErrors(s).length === 0) pending.set(key, s);
      }
    }
    if (pending.size) this.run(schema, [...pending.entries()], cache);
    const out = new Map<string, Finding[]>();
    for (const { file, model } of files) {
      const findings: Finding[] = [];
      for (const s of model.statements) {
        const r = cache.get(cacheKey(s));
        if (!r || (!r.errors.length && !r.warnings.length)) continue;
        const slice = statementSlice(file, model, s);
        for (const e of r.errors) findings.push({ ...findingFromCedarError(e, slice, 'cedar-validation'), policy: s.id });
        for (const w of r.warnings) findings.push({ ...findingFromCedarError(w, slice, 'cedar-warning', 'warning'), policy: s.id });
      }
      out.set(file, findings);
    }
    return out;
  }

  private cacheFor(key: string): Map<string, StatementResult> {
    let cache = this.bySchema.get(key);
    if (!cache) {
      // A few schemas at a time (one per schema folder and the version being edited).
      if (this.bySchema.size >= 8) this.bySchema.delete(this.bySchema.keys().next().value!);
      cache = new Map();
      this.bySchema.set(key, cache);
    }
    return cache;
  }

  private run(schema: SchemaModel, pending: [string, PolicyStatement][], cache: Map<string, StatementResult>): void {
    const staticPolicies: Record<string, string> = {};
    const templates: Record<string, string> = {};
    const byInternalId = new Map<string, string>();
    pending.forEach(([key, s], i) => {
      const id = `p${i}`;
      byInternalId.set(id, key);
      (s.isTemplate ? templates : staticPolicies)[id] = s.text;
      cache.set(key, { errors: [], warnings: [] });
    });
    const answer = cedar().validate({ validationSettings: { mode: 'strict' }, schema: schema.json, policies: { staticPolicies, templates } });
    if (answer.type === 'failure') {
      // Parse failures were filtered out, so a failure here is about the schema: say so on every policy.
      for (const [key] of pending) cache.get(key)!.errors.push(...answer.errors);
      return;
    }
    for (const { policyId, error } of answer.validationErrors) cache.get(byInternalId.get(policyId)!)?.errors.push(error);
    for (const { policyId, error } of answer.validationWarnings) cache.get(byInternalId.get(policyId)!)?.warnings.push(error);
  }
}
