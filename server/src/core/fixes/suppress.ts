import { commentSyntaxOf } from '../findings/suppressions';
import type { Finding } from '../findings/finding';
import type { Fix, FixContext } from './model';
import { indentOf, insertion, lineBreakOf, samePosition, textOf } from './text';

/**
 * The reason written into a new suppression: a placeholder the user replaces. Worded as an
 * instruction, so a suppression left as it is still says that nobody gave a reason.
 */
export const REASON_PLACEHOLDER = 'say why this is acceptable here';

/**
 * "Suppress AGxxx with a reason": a comment line above the finding's line, indented as that line,
 * in the file's comment syntax. A comment alone on its line covers the next code line, so
 * suppressions stack above one line. A policy's finding (on its effect keyword) gets the comment
 * above the policy's annotations, which keeps `@id` next to its policy.
 */
export function suppressFix(ctx: FixContext, finding: Finding): Fix | undefined {
  if (!/^AG\d+$/.test(finding.ruleId)) return undefined;
  const syntax = commentSyntaxOf(finding.file);
  const text = textOf(ctx, finding.file);
  if (!syntax || text === undefined) return undefined;
  const line = policyStartLine(ctx, finding) ?? finding.range.start.line;
  const marker = syntax === 'yaml' ? '#' : '//';
  const comment = `${indentOf(text, line)}${marker} agentgov-ignore ${finding.ruleId}: ${REASON_PLACEHOLDER}${lineBreakOf(text)}`;
  return {
    title: `Suppress ${finding.ruleId} with a reason`,
    ruleId: finding.ruleId,
    finding,
    edits: [insertion(finding.file, { line, character: 0 }, comment)],
  };
}

/** The first line of the policy whose effect keyword the finding is on (its annotations come first). */
function policyStartLine(ctx: FixContext, finding: Finding): number | undefined {
  const model = ctx.policyModel(finding.file);
  if (!model) return undefined;
  const lines = model.lines;
  const s = model.statements.find((x) => samePosition(lines.positionAt(x.effectStart), finding.range.start));
  return s ? lines.positionAt(s.start).line : undefined;
}
