import { Memo, perObject } from '../engine/memo';
import type { Finding } from '../findings/finding';
import { findingFromCedarError, sliceOf, type TextSlice } from './errors';
import { cedarGateway, type DetailedError, type PolicyText, type SchemaJson, type ValidationResult } from './gateway';
import type { CedarPool } from './gateway/pool';
import type { PolicyFileModel, PolicyStatement } from './policyFile';
import type { SchemaModel } from './schemaModel';
import { actionReach, type SchemaSlice, sliceFor, sliceJson, validationJson } from './slices';

interface StatementResult {
  errors: DetailedError[];
  warnings: DetailedError[];
}

/** Parse errors by statement text: unchanged policies cost nothing. */
const parseMemo = new Memo<string, DetailedError[]>('parse errors by statement text', 50_000);

/** A statement's memo key; made once per statement object (a file's statements live until it changes). */
const textKey = perObject((s: PolicyStatement) => (s.isTemplate ? 't' : 's') + s.text);

const resultKeys = new WeakMap<PolicyStatement, { slice: string; key: string }>();

/** The validation memo's key of a statement against a slice, kept while the slice stays the same. */
function resultKey(s: PolicyStatement, slice: SchemaSlice): string {
  const known = resultKeys.get(s);
  if (known?.slice === slice.key) return known.key;
  const key = `${textKey(s)}\u0000${slice.key}`;
  resultKeys.set(s, { slice: slice.key, key });
  return key;
}

function statementSlice(file: string, model: PolicyFileModel, s: PolicyStatement): TextSlice {
  return sliceOf(file, model.lines, s.start, s.end, model.lines.range(s.effectStart, s.effectEnd));
}

/** Cedar's parse errors of one statement (nesting guards included, by the gateway). */
export function statementParseErrors(s: PolicyStatement): DetailedError[] {
  return parseMemo.getOr(textKey(s), () => cedarGateway.parsePolicy(s));
}

/** Statements of these whose parse errors are not known yet (each text once). */
export function unparsed(statements: PolicyStatement[]): PolicyStatement[] {
  return [...new Map(statements.filter((s) => !parseMemo.has(textKey(s))).map((s) => [textKey(s), s])).values()];
}

/** Remembers parse errors found elsewhere (a Cedar worker). */
export function rememberParse(s: PolicyStatement, errors: DetailedError[]): void {
  parseMemo.set(textKey(s), errors);
}

/** Parses many statements at once (one Cedar call when all parse), remembering each one's errors. */
export function parseStatements(statements: PolicyStatement[]): void {
  const todo = unparsed(statements);
  cedarGateway.parseEach(todo).forEach((errors, i) => rememberParse(todo[i], errors));
}

/** Parse findings of a policy file, each on its exact range. */
export function policyParseFindings(file: string, model: PolicyFileModel): Finding[] {
  const out: Finding[] = [];
  for (const s of model.statements) {
    for (const err of statementParseErrors(s))
      out.push(findingFromCedarError(err, statementSlice(file, model, s), 'cedar-parse'));
  }
  return out;
}

/*
 * Cedar names the policy in some messages ("for policy `p3`, …"). A call uses ids of its own,
 * and a result is shared by every statement with the same text, so the id is stored as a
 * placeholder and the statement's real id (SPEC §11) put in when a finding is made.
 */
const ID_PLACEHOLDER = '\u0001policy\u0001';

function withoutPolicyId(e: DetailedError, id: string): DetailedError {
  const swap = (t: string) => t.split(`\`${id}\``).join(ID_PLACEHOLDER);
  return { ...e, message: swap(e.message), ...(e.help ? { help: swap(e.help) } : {}) };
}

export function withPolicyId(e: DetailedError, id: string): DetailedError {
  if (!e.message.includes(ID_PLACEHOLDER) && !e.help?.includes(ID_PLACEHOLDER)) return e;
  const swap = (t: string) => t.split(ID_PLACEHOLDER).join(`\`${id}\``);
  return { ...e, message: swap(e.message), ...(e.help ? { help: swap(e.help) } : {}) };
}

/** One Cedar `validate` call's worth of statements; run it (here or in a worker) to fill the validator's memo. */
export interface ValidationBatch {
  size: number;
  /** Against the whole schema (the long calls: statements with an unconstrained action). */
  whole: boolean;
  /** The files whose findings wait for this call. */
  files: ReadonlySet<string>;
  run(): void;
  runIn(pool: CedarPool): Promise<void>;
}

interface Pending {
  key: string;
  statement: PolicyStatement;
  slice: SchemaSlice;
  /** Files holding a statement with this text (one call answers them all). */
  files: Set<string>;
}

/** Limits of one batch: a call costs about policies × actions, so batches stay small. */
const BATCH_POLICIES = 48;
const BATCH_ACTIONS = 96;

/**
 * Validates policies against schemas by slices (slices.ts). Results are remembered by
 * (statement text, slice content): an edit revalidates only the statements whose text changed,
 * and a change to one action's declaration only the statements whose slice holds it. What is
 * missing is validated in batches: statements whose slices together stay small share a call.
 */
export class PolicyValidator {
  private readonly results = new Memo<string, StatementResult>('validation by statement and slice', 100_000);

  /**
   * The statements of these files that still need Cedar, grouped into calls: the short sliced
   * calls first, the whole-schema ones last, so most files can be handed out before those end.
   */
  batches(schema: SchemaModel, files: { file: string; model: PolicyFileModel }[]): ValidationBatch[] {
    if (!schema.valid) return [];
    const pending = new Map<string, Pending>();
    for (const { file, model } of files) {
      for (const s of model.statements) {
        if (statementParseErrors(s).length) continue;
        const slice = sliceFor(schema, actionReach(s.text));
        const key = resultKey(s, slice);
        if (this.results.has(key)) continue;
        const known = pending.get(key);
        if (known) known.files.add(file);
        else pending.set(key, { key, statement: s, slice, files: new Set([file]) });
      }
    }
    return this.group(schema, [...pending.values()]);
  }

  /** Validation findings of one file; validates (in batches) whatever is not known yet. */
  validate(schema: SchemaModel, files: { file: string; model: PolicyFileModel }[]): Map<string, Finding[]> {
    for (const b of this.batches(schema, files)) b.run();
    const out = new Map<string, Finding[]>();
    for (const { file, model } of files) {
      const findings: Finding[] = [];
      for (const s of model.statements) {
        if (statementParseErrors(s).length) continue;
        const schemaSlice = sliceFor(schema, actionReach(s.text));
        const key = resultKey(s, schemaSlice);
        // Forgotten between `batches` and here (budget): validate it alone.
        const r = this.results.get(key) ?? this.runNow(schema, { key, statement: s, slice: schemaSlice, files: new Set([file]) });
        if (!r.errors.length && !r.warnings.length) continue;
        const text = statementSlice(file, model, s);
        for (const e of r.errors)
          findings.push({ ...findingFromCedarError(withPolicyId(e, s.id), text, 'cedar-validation'), policy: s.id });
        for (const w of r.warnings)
          findings.push({ ...findingFromCedarError(withPolicyId(w, s.id), text, 'cedar-warning', 'warning'), policy: s.id });
      }
      out.set(file, findings);
    }
    return out;
  }

  /** Sliced statements are packed greedily by their actions; whole-schema ones share calls, last. */
  private group(schema: SchemaModel, pending: Pending[]): ValidationBatch[] {
    const out: ValidationBatch[] = [];
    const sliced = pending.filter((p) => p.slice.actions).sort((a, b) => (a.slice.actions![0] < b.slice.actions![0] ? -1 : 1));
    let batch: Pending[] = [];
    let actions = new Set<string>();
    const flush = () => {
      if (!batch.length) return;
      const these = batch;
      const union = actions;
      out.push(this.batch(schema, these, union));
      batch = [];
      actions = new Set();
    };
    for (const p of sliced) {
      // How many actions this statement adds to the batch, without copying the batch's set.
      let added = 0;
      for (const a of p.slice.actions!) if (!actions.has(a)) added++;
      if (batch.length && (batch.length >= BATCH_POLICIES || actions.size + added > BATCH_ACTIONS)) flush();
      for (const a of p.slice.actions!) actions.add(a);
      batch.push(p);
    }
    flush();
    const whole = pending.filter((p) => !p.slice.actions);
    for (let i = 0; i < whole.length; i += BATCH_POLICIES * 4) {
      const chunk = whole.slice(i, i + BATCH_POLICIES * 4);
      out.push(this.batch(schema, chunk, undefined));
    }
    return out;
  }

  private batch(schema: SchemaModel, batch: Pending[], actions: Set<string> | undefined): ValidationBatch {
    return {
      size: batch.length,
      whole: !actions,
      files: new Set(batch.flatMap((p) => [...p.files])),
      run: () => {
        const call = this.prepare(schema, batch, actions);
        if (call) this.accept(call.todo, cedarGateway.validate(call.schema, call.policies));
      },
      runIn: async (pool) => {
        const call = this.prepare(schema, batch, actions);
        if (call) this.accept(call.todo, await pool.validate(call.schema, call.policies));
      },
    };
  }

  private runNow(schema: SchemaModel, p: Pending): StatementResult {
    this.batch(schema, [p], p.slice.actions ? new Set(p.slice.actions) : undefined).run();
    return this.results.get(p.key)!;
  }

  /**
   * The call validating statements against the union of their slices (or the whole schema). A
   * statement's result is the same against any part of the schema that holds its slice, so
   * sharing is exact.
   */
  private prepare(
    schema: SchemaModel,
    batch: Pending[],
    actions: Iterable<string> | undefined,
  ): { todo: Pending[]; schema: SchemaJson; policies: PolicyText[] } | undefined {
    const todo = batch.filter((p) => !this.results.has(p.key));
    if (!todo.length) return undefined;
    const policies: PolicyText[] = todo.map((p, i) => ({
      id: `p${i}`,
      text: p.statement.text,
      isTemplate: p.statement.isTemplate,
    }));
    return { todo, schema: actions ? sliceJson(schema, actions) : validationJson(schema), policies };
  }

  private accept(todo: Pending[], answer: ValidationResult): void {
    todo.forEach((p, i) => {
      const id = `p${i}`;
      const own = (e: DetailedError) => withoutPolicyId(e, id);
      // Parse failures were filtered out, so a failure here is about the schema: say so on every policy.
      this.results.set(p.key, {
        errors: (answer.failure ?? answer.errors.get(id) ?? []).map(own),
        warnings: answer.failure ? [] : (answer.warnings.get(id) ?? []).map(own),
      });
    });
  }
}
