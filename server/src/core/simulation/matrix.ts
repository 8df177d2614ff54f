import type { PartialAnswer, PartialCall } from '../cedar/gateway/workerProtocol';
import type { ToolRef } from '../bindings/model';
import { perObject, runWork } from '../engine';
import {
  type CallDecision,
  decidePairs,
  type PairDecision,
  type PairInputs,
  prefetchPairs,
  reachIndexOf,
} from '../governance/facts/access';
import type { WorkspacePolicy, WorkspacePolicySet } from '../policies/policySet';
import { auditColumn, identityColumn, riskColumn } from './columns';
import { allPairs } from './matrixPairs';
import { residualText } from './residualText';
import { policyLink } from './simulate';
import type { AccessMatrix, CellDecision, MatrixCell, MatrixGap } from './types';
import type { Uid } from './uid';
import type { SimulationWorkspace } from './workspace';

export interface MatrixOptions {
  /** Every agent × every tool, not only the tools each binding lists. */
  all?: boolean;
}

/** Cedar workers' partial evaluations in batches (`CedarPool.partialBatch`), and how many run at once. */
export interface MatrixWorkers {
  batch: (entities: unknown[], calls: PartialCall[]) => Promise<PartialAnswer[]>;
  concurrency: number;
}

/**
 * Pairs decided per round: the workers' decisions reach the cells through the governance memo,
 * which keeps 20,000, so an `--all` matrix of 100,000 pairs goes in rounds that fit in it.
 */
const PAIRS_PER_ROUND = 4000;

/** By residuals object: decisions are remembered, and so is their text (with the policies' exact literals). */
const textsOf = perObject((policySet: WorkspacePolicySet) =>
  perObject((residuals: Record<string, unknown>) => residualText(residuals, (id) => policyOf(policySet, id))),
);

function policyOf(policySet: WorkspacePolicySet, id: string): { text: string; position: number } | undefined {
  const p = policySet.byId(id);
  return p ? { text: p.statement.text, position: reachIndexOf(policySet.policies).position.get(p) ?? 0 } : undefined;
}

function cellDecision(d: CallDecision, policySet: WorkspacePolicySet): CellDecision {
  const ids = d.outcome === 'depends' ? Object.keys(d.residuals) : d.determining;
  const position = reachIndexOf(policySet.policies).position;
  // In the workspace's order: Cedar's answers have none.
  const policies = ids
    .map((id) => policySet.byId(id))
    .filter((p): p is WorkspacePolicy => !!p)
    .sort((a, b) => position.get(a)! - position.get(b)!);
  return {
    outcome: d.outcome,
    policies: policies.map(policyLink),
    ...(Object.keys(d.residuals).length ? { residual: textsOf(policySet)(d.residuals) } : {}),
    ...(d.undecided ? { undecided: d.undecided } : {}),
  };
}

function cellOf(p: PairDecision, policySet: WorkspacePolicySet, listed: Set<ToolRef> | undefined): MatrixCell {
  const without = cellDecision(p.without, policySet);
  const approved = p.withApproval ? cellDecision(p.withApproval, policySet) : without;
  return {
    agent: p.binding.name,
    tool: p.tool.name,
    ...(p.tool.server ? { server: p.tool.server } : {}),
    decision: without.outcome,
    withApproval: approved.outcome,
    policies: without.policies.map((x) => x.id),
    identity: identityColumn(p.binding),
    audit: auditColumn(p.binding),
    risk: riskColumn(p.tool),
    request: {
      principal: p.principal as Uid,
      action: p.action.action as Uid,
      ...(p.action.resource ? { resource: p.action.resource as Uid } : {}),
    },
    listed: listed ? listed.has(p.ref) : true,
    without,
    approved,
    links: {
      binding: { file: p.binding.file, range: p.ref.range },
      tool: { file: p.tool.file, range: p.tool.nameRange },
    },
  };
}

/** Bound agents without a principal, and (bound pairs) entries that name no tool: in the matrix as gaps, not silently left out. */
function gapsOf(ws: SimulationWorkspace, all: boolean): MatrixGap[] {
  const gaps: MatrixGap[] = [];
  for (const b of ws.bindings) {
    const agent = b.name || '(unnamed agent)';
    if (!b.principal?.type || b.principal.id === undefined) {
      gaps.push({
        agent,
        reason: 'its binding names no Cedar principal (`principal: Agent::"…"`), so no request can be made for it',
        link: { file: b.file, range: b.keys.principal?.value ?? b.nameRange },
      });
      continue;
    }
    if (all) continue;
    for (const ref of b.tools)
      if (!ws.resolve(ref).length)
        gaps.push({
          agent,
          tool: ref.ref,
          reason: 'no tool of the workspace has this name',
          link: { file: b.file, range: ref.range },
        });
  }
  return gaps;
}

const byRow = (a: MatrixCell, b: MatrixCell) =>
  a.agent.localeCompare(b.agent) ||
  a.tool.localeCompare(b.tool) ||
  (a.server ?? '').localeCompare(b.server ?? '') ||
  a.links.binding.file.localeCompare(b.links.binding.file);

/** The inputs of the matrix's pairs, in rounds of about `PAIRS_PER_ROUND` pairs (by bindings). */
function rounds(inputs: PairInputs): PairInputs[] {
  // One round: the inputs themselves, so that asking again finds the questions already made.
  if (inputs.bindings.reduce((n, b) => n + b.tools.length, 0) <= PAIRS_PER_ROUND) return [inputs];
  const out: PairInputs[] = [];
  let chunk: PairInputs['bindings'] = [];
  let pairs = 0;
  for (const b of inputs.bindings) {
    chunk.push(b);
    pairs += b.tools.length;
    if (pairs >= PAIRS_PER_ROUND) {
      out.push({ ...inputs, bindings: chunk });
      chunk = [];
      pairs = 0;
    }
  }
  if (chunk.length) out.push({ ...inputs, bindings: chunk });
  return out;
}

/**
 * The access matrix (SPEC §7, §11): every bound agent × every tool its binding lists (`all`:
 * every agent × every tool), decided by the governance engine's partial evaluation without an
 * approval and with one granted, the tool's input unknown: the same decisions the rules read.
 * With workers, the partial evaluations not remembered run there first. Never throws on a
 * workspace: what Cedar cannot decide is a cell that says so.
 */
export async function accessMatrix(
  ws: SimulationWorkspace,
  options: MatrixOptions = {},
  workers?: MatrixWorkers,
): Promise<AccessMatrix> {
  const started = performance.now();
  const all = !!options.all;
  const { inputs, listed } = all ? allPairs(ws.pairs, ws.tools) : { inputs: ws.pairs, listed: undefined };
  const decided: PairDecision[] = [];
  for (const round of rounds(inputs)) {
    if (workers)
      await runWork(
        prefetchPairs(round, (calls) => workers.batch(round.entities, calls)),
        // A failed batch leaves its pairs to `decidePairs`, which asks Cedar in this thread.
        { concurrency: workers.concurrency, onError: () => undefined },
      );
    for (const pair of decidePairs(round)) decided.push(pair);
  }
  const cells = decided.map((p) => cellOf(p, ws.policySet, listed)).sort(byRow);
  return { all, cells, gaps: gapsOf(ws, all), requests: cells.length * 2, ms: performance.now() - started };
}
