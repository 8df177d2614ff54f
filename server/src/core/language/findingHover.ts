import type { Finding } from '../findings/finding';
import { describeRef, entryOf } from '../governance/frameworks/catalog';
import { builtInRulePack, type RuleInfo } from '../governance/rulePack';
import type { Position, Range } from '../text/range';

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const covers = (r: Range, p: Position) => before(r.start, p) && before(p, r.end);

/**
 * The governance findings (AG…) whose range holds the position, as hover text: the rule, why it
 * matters, what to do, and each framework it is mapped to with the catalog's one-line summary.
 * A suppressed finding is not shown, so it is not explained either.
 */
export function findingsHover(
  findings: readonly Finding[],
  pos: Position,
  /** The rules of the file's folder: the built-in ones and its workspace rules. */
  pack: readonly RuleInfo[] = builtInRulePack().rules(),
): { markdown: string; range: Range } | undefined {
  const rules = new Map(pack.map((r) => [r.ruleId, r]));
  const here = findings.filter((f) => (/^AG\d/.test(f.ruleId) || rules.has(f.ruleId)) && !f.suppressed && covers(f.range, pos));
  if (!here.length) return undefined;
  const sections = here.map((f) => {
    const rule = rules.get(f.ruleId);
    const lines = [`**${f.ruleId} ${rule?.name ?? ''}** · ${f.severity}`, f.message];
    if (rule?.why) lines.push(`*Why it matters:* ${rule.why}`);
    if (f.help) lines.push(`*How to fix:* ${f.help}`);
    if (f.frameworks?.length)
      lines.push(
        [
          '*Mapped to:*',
          ...f.frameworks.map((r) => {
            const summary = entryOf(r.framework, r.id)?.summary;
            return `- ${describeRef(r)}${summary ? `: ${summary}` : ''}`;
          }),
        ].join('\n'),
      );
    if (f.url) lines.push(`[Rule documentation](${f.url})`);
    return lines.join('\n\n');
  });
  return { markdown: sections.join('\n\n---\n\n'), range: here[0].range };
}
