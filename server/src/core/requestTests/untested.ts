import type { WorkspacePolicy } from '../policies/policySet';
import type { Range } from '../text/range';
import type { FileCoverage, PolicyCoverage } from './coverage';

/** A policy of the workspace no request test makes determining or satisfies. */
export interface UntestedPolicy {
  file: string;
  /** SPEC §11: the `@id`, else `policyN`. */
  id: string;
  effect: 'permit' | 'forbid';
  range: Range;
}

const keyOf = (file: string, id: string) => `${file}\u0000${id}`;

/** Whether some request made the policy determining or (when asked) satisfied its condition. */
const exercised = (p: PolicyCoverage) => p.determining.length > 0 || (p.satisfied?.length ?? 0) > 0;

/**
 * The coverage of every policy file of the workspace, not only of those some test names: a file no
 * test reaches is all uncovered (the Test Explorer's coverage would otherwise not show it at all).
 */
export function workspaceCoverage(coverage: FileCoverage[], policies: WorkspacePolicy[], withSatisfied: boolean): FileCoverage[] {
  const byFile = new Map(coverage.map((c) => [c.file, c]));
  const missing = new Map<string, PolicyCoverage[]>();
  for (const p of policies) {
    if (byFile.has(p.file)) continue;
    const list = missing.get(p.file) ?? [];
    list.push({
      id: p.id,
      effect: p.effect ?? 'permit',
      range: p.range,
      determining: [],
      ...(withSatisfied ? { satisfied: [] } : {}),
    });
    missing.set(p.file, list);
  }
  const added: FileCoverage[] = [...missing].map(([file, list]) => ({
    file,
    policies: list,
    determining: 0,
    ...(withSatisfied ? { satisfied: 0 } : {}),
  }));
  return [...coverage, ...added].sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * The workspace's policies no request test exercises (neither determining nor satisfied by any
 * request of any test file), in the workspace's order; `coverage` from every test file, with
 * what each request satisfied.
 */
export function untestedPolicies(coverage: FileCoverage[], policies: WorkspacePolicy[]): UntestedPolicy[] {
  const tested = new Set<string>();
  for (const f of coverage) for (const p of f.policies) if (exercised(p)) tested.add(keyOf(f.file, p.id));
  return policies
    .filter((p) => !tested.has(keyOf(p.file, p.id)))
    .map((p) => ({ file: p.file, id: p.id, effect: p.effect ?? 'permit', range: p.range }));
}
