import { cedarGateway } from '../cedar/gateway';
import { codeTokens } from '../cedar/lexer';
import { residualCondition } from '../cedar/residual';
import { exprText } from './cedarExpr';
import type { ResidualPart, ResidualText } from './types';

/**
 * A residual's condition as Cedar text: simplified (`true && x` is `x`), printed with the input
 * named `context.input`. A node the printer does not know falls back on Cedar's own printer
 * (`policyToText`), its condition cut out of the policy text.
 */
export function conditionText(policy: unknown, source?: string): string {
  const condition = residualCondition(policy);
  try {
    return exprText(condition, source === undefined ? undefined : (n) => literalOf(n, source));
  } catch {
    const text = cedarGateway.policyToText({ ...(policy as object), conditions: [{ kind: 'when', body: condition }] });
    const body = text?.match(/when\s*\{([\s\S]*)\}\s*;?\s*$/)?.[1]?.trim();
    return body ? body.replace(/unknown\("input"\)/g, 'context.input') : '(a condition Cedar could not print)';
  }
}

/** The integer literal of a policy's text that a rounded number came from (`-` included). */
function literalOf(n: number, source: string): string | undefined {
  const digits = codeTokens(source).find((t) => t.kind === 'number' && Number(t.text) === Math.abs(n));
  return digits ? `${n < 0 ? '-' : ''}${digits.text}` : undefined;
}

/** `a || b` (`||` is associative: only an `if … then … else …` part needs parentheses). */
function anyOf(parts: ResidualPart[]): string | undefined {
  if (!parts.length) return undefined;
  if (parts.length === 1) return parts[0].condition;
  return parts.map((p) => (/^if\s/.test(p.condition) ? `(${p.condition})` : p.condition)).join(' || ');
}

/**
 * What a call depending on the input is allowed by, from its residual policies: the permits'
 * conditions (any of them) and the forbids' (none of them). `allowed when …, unless …`.
 */
export function residualText(
  residuals: Record<string, unknown>,
  /**
   * A residual's policy by its (Cedar) id: its text, for the exact 64-bit literals it holds, and
   * its position in the policy set, which orders the parts (Cedar's answer has no fixed order).
   */
  policyOf: (policyId: string) => { text: string; position: number } | undefined = () => undefined,
): ResidualText {
  const permits: ResidualPart[] = [];
  const forbids: ResidualPart[] = [];
  const position = (id: string) => policyOf(id)?.position ?? Number.MAX_SAFE_INTEGER;
  const ids = Object.keys(residuals).sort((a, b) => position(a) - position(b) || a.localeCompare(b));
  for (const policy of ids) {
    const residual = residuals[policy];
    const part = { policy, condition: conditionText(residual, policyOf(policy)?.text) };
    ((residual as { effect?: string } | undefined)?.effect === 'forbid' ? forbids : permits).push(part);
  }
  const when = anyOf(permits);
  const unless = anyOf(forbids);
  const text = when ? `allowed when ${when}${unless ? `, unless ${unless}` : ''}` : `allowed unless ${unless ?? 'false'}`;
  return { text, ...(when ? { when } : {}), ...(unless ? { unless } : {}), permits, forbids };
}
