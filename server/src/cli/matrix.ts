import { CedarPool } from '../core/cedar/gateway';
import type { AccessMatrix, CellDecision, PolicyLink } from '../core/simulation';
import { scanFolder } from './scanFolder';

/** The access matrix of a folder, decided in the Cedar workers (the same core and decisions as `check`). */
export async function runMatrix(dir: string, all: boolean): Promise<{ matrix: AccessMatrix; display: (p: string) => string }> {
  const service = scanFolder(dir, CedarPool.create()?.warm());
  try {
    const matrix = await service.accessMatrix({ all });
    return { matrix, display: (p) => service.displayPath(p) };
  } finally {
    await service.close();
  }
}

/**
 * SPEC §11's JSON: `{"cells": [{agent, tool, decision, withApproval, policies, identity, audit}]}`
 * where `decision` is the answer without an approval, plus: the tool's server and risk, whether
 * the binding lists it, the cell's Cedar request, the residual condition where a decision depends on the input, why Cedar
 * could not decide, and the files (binding entry, tool definition, policies) with 0-based ranges.
 */
export function matrixJson(m: AccessMatrix, display: (p: string) => string): string {
  const link = <T extends { file: string }>(x: T): T => ({ ...x, file: display(x.file) });
  const extras = (prefix: '' | 'withApproval', d: CellDecision) => {
    const key = (name: string) => (prefix ? `${prefix}${name[0].toUpperCase()}${name.slice(1)}` : name);
    return {
      ...(d.residual ? { [key('residual')]: d.residual.text } : {}),
      ...(d.undecided ? { [key('undecided')]: d.undecided } : {}),
    };
  };
  const cells = m.cells.map((c) => {
    const policies = new Map<string, PolicyLink>();
    for (const p of [...c.without.policies, ...c.approved.policies]) policies.set(`${p.file}#${p.id}`, p);
    return {
      agent: c.agent,
      tool: c.tool,
      decision: c.decision,
      withApproval: c.withApproval,
      policies: c.policies,
      identity: c.identity,
      audit: c.audit,
      ...(c.server ? { server: c.server } : {}),
      risk: c.risk,
      listed: c.listed,
      request: c.request,
      withApprovalPolicies: c.approved.policies.map((p) => p.id),
      ...extras('', c.without),
      ...extras('withApproval', c.approved),
      files: { binding: link(c.links.binding), tool: link(c.links.tool), policies: [...policies.values()].map(link) },
    };
  });
  const gaps = m.gaps.map((g) => ({ agent: g.agent, ...(g.tool ? { tool: g.tool } : {}), reason: g.reason, ...link(g.link) }));
  return JSON.stringify({ version: 1, all: m.all, cells, gaps }, null, 2);
}
