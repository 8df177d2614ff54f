import type { Finding } from '../findings/finding';
import type { Range } from '../text/range';
import { addToBindingFixes } from './addToBinding';
import { createPolicyFix } from './createPolicy';
import type { Fix, FixContext } from './model';
import { replaceSecretFixes } from './replaceSecret';
import { stepUpFix } from './stepUp';
import { suppressFix } from './suppress';
import { touches } from './text';

export type { Fix, FixContext, FixEdit } from './model';
export { REASON_PLACEHOLDER } from './suppress';

/** The fixes of each rule that has them, the main fix first. */
const BY_RULE: Record<string, (ctx: FixContext, f: Finding) => (Fix | undefined)[]> = {
  AG001: (ctx, f) => [createPolicyFix(ctx, f)],
  AG002: (ctx, f) => addToBindingFixes(ctx, f),
  AG007: (ctx, f) => replaceSecretFixes(ctx, f),
  AG008: (ctx, f) => [stepUpFix(ctx, f)],
  AG011: (ctx, f) => [stepUpFix(ctx, f)],
};

/**
 * Quick fixes for one finding, or for the findings of a file that touch a range (what an editor
 * asks for at the cursor), suppressed ones left out. Every governance finding can at least be
 * suppressed with a reason. A fix that cannot be made safely (its target changed, its condition
 * would not validate against the schema) is not offered.
 */
export function fixesFor(ctx: FixContext, file: string, at: Range | Finding): Fix[] {
  const findings =
    'ruleId' in at ? [at] : ctx.findings(file).filter((f) => f.file === file && !f.suppressed && touches(f.range, at));
  return findings.flatMap((f) => {
    if (!/^AG\d+$/.test(f.ruleId)) return [];
    const own = (BY_RULE[f.ruleId]?.(ctx, f) ?? []).filter((x): x is Fix => !!x);
    return [...own, suppressFix(ctx, f)].filter((x): x is Fix => !!x);
  });
}
