import { codeTokens, type Token } from '../cedar/lexer';
import { actionReach } from '../cedar/slices';
import type { Finding } from '../findings/finding';
import type { WorkspacePolicy } from '../policies/policySet';
import { LineIndex } from '../text/lineIndex';
import { actionsReached, declaresApproval, isApplicable, STEP_UP } from './approval';
import type { Fix, FixContext, FixEdit } from './model';
import { lineBreakOf, sameRange, textOf } from './text';

/**
 * AG008, and AG011 when a permit allows the call: "Add a step-up condition" to the determining
 * permit, so Cedar allows the call only with a granted approval. An existing `when` is extended
 * (in parentheses when its condition has a top-level `||` or `if`, which `&&` would otherwise
 * split), else a `when` is added. Offered only when every action the permit reaches declares
 * `context.approval` in its schema, so the result validates.
 */
export function stepUpFix(ctx: FixContext, finding: Finding): Fix | undefined {
  const permits = determiningPermits(ctx, finding);
  if (!permits.length || !permits.every((p) => approvalDeclared(ctx, p))) return undefined;
  const edits: FixEdit[] = [];
  for (const p of permits) {
    const text = textOf(ctx, p.file);
    const s = p.statement;
    if (text === undefined || text.slice(s.start, s.end) !== s.text || !s.terminated) return undefined;
    edits.push(...stepUpEdits(p.file, text, s.headEnd, s.end));
  }
  const names = permits.map((p) => `"${p.id}"`).join(', ');
  return {
    title: `Add a step-up condition (approval) to ${permits.length > 1 ? 'policies' : 'policy'} ${names}`,
    ruleId: finding.ruleId,
    finding,
    edits,
    isPreferred: true,
  };
}

/**
 * AG008 is on the permit; AG011 is on the binding and names the permits that allow the call
 * among its related places (all of them need the step-up, or one still allows the call).
 */
function determiningPermits(ctx: FixContext, finding: Finding): WorkspacePolicy[] {
  const permits = ctx.policySet().policies.filter((p) => p.effect === 'permit');
  const at = (file: string, range: Finding['range']) => permits.find((p) => p.file === file && sameRange(p.effectRange, range));
  if (finding.ruleId === 'AG008') return [at(finding.file, finding.range)].filter((p): p is WorkspacePolicy => !!p);
  if (finding.ruleId !== 'AG011') return [];
  const found = (finding.related ?? []).map((r) => at(r.file, r.range)).filter((p): p is WorkspacePolicy => !!p);
  return [...new Set(found)];
}

/**
 * Whether every action the permit reaches (all of them for a bare `action`) declares
 * `context.approval.granted`: Cedar would accept the condition for one that does not, but the
 * permit would then never apply to it, a change nobody asked for. Trivially true without a schema.
 */
function approvalDeclared(ctx: FixContext, policy: WorkspacePolicy): boolean {
  const schema = ctx.schemaFor(policy.file);
  if (!schema) return true;
  const reach = actionReach(policy.statement.text);
  const actions = (reach.unconstrained ? [...schema.actions.values()] : actionsReached(schema, reach.uids)).filter(isApplicable);
  return actions.length > 0 && actions.every(declaresApproval);
}

/** The edits adding the step-up to the statement whose scope ends at `headEnd` and which ends (with `;`) at `end`. */
function stepUpEdits(file: string, text: string, headEnd: number, end: number): FixEdit[] {
  const lines = new LineIndex(text);
  const at = (offset: number, newText: string): FixEdit => ({
    file,
    range: { start: lines.positionAt(offset), end: lines.positionAt(offset) },
    newText,
  });
  const tokens = codeTokens(text.slice(headEnd, end)).map((t) => ({ ...t, start: t.start + headEnd, end: t.end + headEnd }));
  const when = clauses(tokens).find((c) => c.keyword === 'when');
  if (!when) return [at(end - 1, `${lineBreakOf(text)}when { ${STEP_UP} }`)];
  const body = tokens.slice(when.open + 1, when.close);
  if (!body.length) return [at(tokens[when.open].end, ` ${STEP_UP}`)];
  const last = body[body.length - 1].end;
  if (!splitByAnd(body)) return [at(last, ` && ${STEP_UP}`)];
  return [at(body[0].start, '('), at(last, `) && ${STEP_UP}`)];
}

/** The `when`/`unless` clauses after a scope: the keyword and the indexes of its braces. */
function clauses(tokens: Token[]): { keyword: string; open: number; close: number }[] {
  const out: { keyword: string; open: number; close: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'ident' || (t.text !== 'when' && t.text !== 'unless') || tokens[i + 1]?.text !== '{') continue;
    let depth = 0;
    for (let j = i + 1; j < tokens.length; j++) {
      const x = tokens[j].text;
      if (x === '{' || x === '(' || x === '[') depth++;
      else if ((x === '}' || x === ')' || x === ']') && --depth === 0) {
        out.push({ keyword: t.text, open: i + 1, close: j });
        i = j;
        break;
      }
    }
  }
  return out;
}

/** A condition that `&& x` appended would not bind as a whole: a top-level `||` or `if … then … else`. */
function splitByAnd(body: Token[]): boolean {
  let depth = 0;
  for (const t of body) {
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (depth === 0 && (t.text === '||' || (t.kind === 'ident' && t.text === 'if'))) return true;
  }
  return false;
}
