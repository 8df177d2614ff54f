import type { Range } from '../text/range';
import type { TestFileRun } from './model';

/** A request of a test file. */
export interface TestRef {
  file: string;
  index: number;
}

/** One policy's coverage by the request tests run. */
export interface PolicyCoverage {
  /** SPEC §11: the `@id`, else `policyN`. */
  id: string;
  effect: 'permit' | 'forbid';
  range: Range;
  /** The requests for which it was determining (one of Cedar's reasons). */
  determining: TestRef[];
  /** The requests whose condition it satisfied, when asked (a permit a forbid overrode counts). */
  satisfied?: TestRef[];
}

/** The coverage of one policy file (or of a test file's `policiesText`). */
export interface FileCoverage {
  file: string;
  policies: PolicyCoverage[];
  /** How many of its policies some request made determining. */
  determining: number;
  /** How many some request satisfied, when asked. */
  satisfied?: number;
}

/**
 * For every policy of the files tested, whether any request made it determining and, when
 * `withSatisfied`, whether any satisfied it: a policy several test files share is one policy.
 * Files and policies in source order.
 */
export function coverageOf(runs: TestFileRun[], withSatisfied: boolean): FileCoverage[] {
  const files = new Map<string, Map<string, PolicyCoverage>>();
  for (const run of runs) {
    for (const use of run.uses) {
      const p = use.policy;
      let policies = files.get(p.file);
      if (!policies) files.set(p.file, (policies = new Map()));
      let entry = policies.get(p.positional);
      if (!entry)
        policies.set(
          p.positional,
          (entry = { id: p.id, effect: p.effect, range: p.range, determining: [], ...(withSatisfied ? { satisfied: [] } : {}) }),
        );
      entry.determining.push(...use.determining.map((index) => ({ file: run.file, index })));
      if (withSatisfied) entry.satisfied!.push(...use.satisfied.map((index) => ({ file: run.file, index })));
    }
  }
  return [...files]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, byId]) => {
      const policies = [...byId.values()].sort(
        (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
      );
      return {
        file,
        policies,
        determining: policies.filter((p) => p.determining.length).length,
        ...(withSatisfied ? { satisfied: policies.filter((p) => p.satisfied!.length).length } : {}),
      };
    });
}
