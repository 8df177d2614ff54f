import { basename, dirname, join } from 'node:path';
import type { PairDecision } from '../governance/facts/access';
import type { SimulationWorkspace } from '../simulation/workspace';
import { isInside } from '../workspace/paths';
import { type Candidate, decidedBy, pairCandidates, type SkippedPair } from './generateCandidates';
import type { Expectation, RequestResult, TestFileRun } from './model';
import { readTestFile } from './readTestFile';
import { appendRequests, inlineJson, newTestFileText, type TestFileHeader, type WrittenRequest } from './testFileText';
import { pathFromTestFile } from './testPaths';

/** What the generator reads of the workspace (the service hands it over). */
export interface GenerationWorkspace {
  ws: SimulationWorkspace;
  /** Every bound agent × tool, decided without and with an approval (the access matrix's decisions). */
  decided: PairDecision[];
  roots: readonly string[];
  /** A workspace file's text (the editor's while open); undefined when there is none. */
  text(path: string): string | undefined;
  /** The workspace's entities files. */
  entitiesFiles(): string[];
  /** The schema files a file is validated against. */
  schemaFilesFor(path: string): string[];
  /** Runs a test file as if its text were `text`, without writing it. */
  run(path: string, text: string): TestFileRun;
  display(path: string): string;
}

/** A policy file (`policyId`: one policy of it), or the whole workspace. */
export interface GenerateTarget {
  policyFile?: string;
  policyId?: string;
}

/** A test file written (or added to). */
export interface GeneratedFile {
  file: string;
  /** Its whole new text. */
  text: string;
  created: boolean;
  /** Requests added. */
  added: number;
}

export interface Generation {
  files: GeneratedFile[];
  skipped: SkippedPair[];
  /** Agent × tool pairs the target decides. */
  pairs: number;
}

/** The workspace's generated file, in each workspace folder: every bound pair's decisions. */
export const WORKSPACE_TESTS = 'agent-access.cedartests.json';

/** The test file of a policy file: next to it, with its name (`billing.cedar` → `billing.cedartests.json`). */
export function testFileFor(policyFile: string): string {
  return join(dirname(policyFile), `${basename(policyFile).replace(/\.cedar$/i, '')}.cedartests.json`);
}

type Outcome = { expected: Expectation } | { error: string };

const keyOf = (r: Pick<WrittenRequest, 'principal' | 'action' | 'resource' | 'context'>) =>
  inlineJson([r.principal, r.action, r.resource, r.context]);

const sameOutcome = (a: Expectation, b: Expectation) =>
  a.decision === b.decision &&
  inlineJson(a.reason ?? []) === inlineJson(b.reason ?? []) &&
  inlineJson(a.errors ?? []) === inlineJson(b.errors ?? []);

function outcomeOf(result: RequestResult | undefined): Outcome {
  if (!result) return { error: 'it did not run' };
  if (!result.actual) return { error: result.error ?? 'Cedar did not decide it' };
  const { decision, reason, errors } = result.actual;
  return { expected: { decision, reason, ...(errors.length ? { errors } : {}) } };
}

/**
 * Request tests that pin down what the policies decide today (issue 10): for a policy (or a
 * policy file, or the whole workspace), one request per bound agent × tool it decides (the access
 * matrix's pair decisions: determining, or a residual the decision depends on), and the same with
 * an approval granted where that answer differs. Each expectation is what the request test runner
 * answers now, run on the very file written, so the file passes today and fails when a decision
 * changes. A new file goes next to the policy; an existing one gets the requests it lacks.
 */
export function generateRequestTests(g: GenerationWorkspace, target: GenerateTarget): Generation {
  const groups: { file: string; pairs: PairDecision[]; focus?: Set<string>; about: string }[] = [];
  if (target.policyFile) {
    const policies = g.ws.policySet.policies.filter(
      (p) => p.file === target.policyFile && (!target.policyId || p.id === target.policyId),
    );
    const focus = new Set(policies.map((p) => p.cedarId));
    const about = target.policyId ? `policy "${target.policyId}"` : g.display(target.policyFile);
    groups.push({ file: testFileFor(target.policyFile), pairs: g.decided.filter((p) => decidedBy(p, focus)), focus, about });
  } else
    for (const root of g.roots)
      groups.push({
        file: join(root, WORKSPACE_TESTS),
        pairs: g.decided.filter((p) => isInside(root, p.binding.file)),
        about: 'the workspace',
      });
  const out: Generation = { files: [], skipped: [], pairs: 0 };
  for (const group of groups) {
    out.pairs += group.pairs.length;
    if (!group.pairs.length) continue;
    const made = generateInto(g, group.file, group.pairs, group.focus, group.about, target.policyFile);
    out.skipped.push(...made.skipped);
    if (made.file) out.files.push(made.file);
  }
  return out;
}

function generateInto(
  g: GenerationWorkspace,
  file: string,
  pairs: PairDecision[],
  focus: Set<string> | undefined,
  about: string,
  policyFile: string | undefined,
): { file?: GeneratedFile; skipped: SkippedPair[] } {
  const skipped: SkippedPair[] = [];
  const existing = g.text(file);
  const read = existing === undefined ? undefined : readTestFile(existing).file;
  const before = read?.requests.length ?? 0;
  const known = new Set((read?.requests ?? []).flatMap((r) => (r.call ? [keyOf({ ...r.call, context: r.call.context })] : [])));
  const candidates: Candidate[] = [];
  for (const pair of pairs) {
    const made = pairCandidates(pair, g.ws, focus);
    if ('skipped' in made) skipped.push(made.skipped);
    else candidates.push(...made.candidates.filter((c) => !known.has(keyOf(c.request))));
  }
  const header = existing === undefined ? headerFor(g, file, about, policyFile) : undefined;
  const compose = (requests: WrittenRequest[]) =>
    existing === undefined ? newTestFileText(header!, requests) : appendRequests(existing, requests);
  if (existing !== undefined && compose([]) === undefined) {
    for (const c of candidates)
      skipped.push({ agent: c.agent, tool: c.tool, reason: `${g.display(file)} has no \`requests\` array to add to` });
    return { skipped };
  }
  // Asked as written, then (for what Cedar refused to validate) without validating the request.
  const outcomes = new Map<Candidate, Outcome>();
  const ask = (list: Candidate[]) => {
    const placeholder: Expectation = { decision: 'deny' };
    const run = g.run(file, compose(list.map((c) => ({ ...c.request, expected: placeholder })))!);
    const byIndex = new Map(run.results.flatMap((r) => (r.kind === 'request' ? [[r.index, r] as const] : [])));
    list.forEach((c, i) => outcomes.set(c, outcomeOf(byIndex.get(before + i))));
  };
  ask(candidates);
  const retry = candidates.filter((c) => 'error' in outcomes.get(c)!);
  if (retry.length && (read?.schema || read?.schemaText || header?.schema)) {
    for (const c of retry) c.request = { ...c.request, validateRequest: false };
    ask(retry);
  }
  const written: { c: Candidate; w: WrittenRequest }[] = [];
  const without = new Map<string, Expectation>();
  for (const c of candidates) {
    const o = outcomes.get(c)!;
    if ('error' in o) {
      skipped.push({ agent: c.agent, tool: c.tool, reason: `${c.request.description}: ${o.error}` });
      continue;
    }
    const pairKey = `${c.agent}\u0000${c.tool}`;
    if (!c.approval) without.set(pairKey, o.expected);
    else if (without.has(pairKey) && sameOutcome(without.get(pairKey)!, o.expected)) continue;
    written.push({ c, w: { ...c.request, expected: o.expected } });
  }
  // The file as it will be written passes today: checked on the very text.
  const check = g.run(file, compose(written.map((x) => x.w))!);
  const failing = new Map(
    check.results.flatMap((r) =>
      r.kind === 'request' && r.index >= before && !r.passed ? [[r.index - before, r] as const] : [],
    ),
  );
  for (const [i, r] of failing)
    skipped.push({
      agent: written[i].c.agent,
      tool: written[i].c.tool,
      reason: `${r.description}: ${r.error ?? 'its answer changed between two runs'}`,
    });
  const kept = written.filter((_, i) => !failing.has(i)).map((x) => x.w);
  if (!kept.length) return { skipped };
  return { file: { file, text: compose(kept)!, created: existing === undefined, added: kept.length }, skipped };
}

/**
 * What a new file names: every policy file of its workspace folder (the access matrix decides with
 * the whole policy set, so the test must too), the workspace's entities and its schema, as paths
 * found from the new file's folder.
 */
function headerFor(g: GenerationWorkspace, file: string, about: string, policyFile: string | undefined): TestFileHeader {
  const root = g.roots.find((r) => isInside(r, file)) ?? dirname(file);
  const exists = (p: string) => g.text(p) !== undefined;
  const name = (p: string) => pathFromTestFile(file, p, root, exists);
  const policyFiles = [...new Set(g.ws.policySet.policies.map((p) => p.file))].filter((f) => isInside(root, f)).sort();
  const entityFiles = g.entitiesFiles().filter((f) => isInside(root, f));
  const schemas = g.schemaFilesFor(policyFile ?? policyFiles[0] ?? file);
  return {
    comment: [
      "Generated from today's decisions (Agent Governance: Generate Request Tests): one request per",
      `bound agent × tool that ${about} decides, expecting what Cedar answers now.`,
      'When one fails, a decision changed: review the change, then fix the policy or the expectation.',
    ],
    policies: policyFiles.map(name),
    // Several entities files: their entities inline (a test file names one).
    entities: entityFiles.length === 1 ? name(entityFiles[0]) : entityFiles.length ? g.ws.entities : [],
    ...(schemas.length === 1 ? { schema: name(schemas[0]) } : {}),
  };
}
