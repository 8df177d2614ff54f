import { describe, expect, it } from 'vitest';
import { cedarGateway, type PartialDecision } from '../../server/src/core/cedar/gateway';
import { neverTrue, refinePartial, residualCondition, simplify } from '../../server/src/core/cedar/residual';
import { exprText } from '../../server/src/core/simulation/cedarExpr';
import { conditionText, residualText } from '../../server/src/core/simulation/residualText';

/** Cedar's own partial answer for these policies, the input unknown (what the governance engine asks). */
function partial(policies: Record<string, string>, approval = false): PartialDecision {
  const context: Record<string, unknown> = { input: { __extn: { fn: 'unknown', arg: 'input' } } };
  if (approval) context.approval = { granted: true };
  const answer = cedarGateway.authorizePartial(
    Object.entries(policies).map(([id, text]) => ({ id, text, isTemplate: false })),
    {
      principal: { type: 'A', id: 'a' },
      action: { type: 'Action', id: 't' },
      resource: { type: 'S', id: 's' },
      context: context as never,
    },
    [],
  );
  if ('failure' in answer) throw new Error(answer.failure[0].message);
  return answer;
}

/** The simplified condition of one policy's residual, printed. */
const residualOf = (condition: string) =>
  conditionText(partial({ p: `permit(principal, action, resource) when { ${condition} };` }).residuals.p);

describe('residual conditions in readable Cedar', () => {
  it('names the input as the policy does and drops what partial evaluation left trivially true', () => {
    expect(residualOf('context.input.amount <= 500 && context.input.currency == "EUR"')).toBe(
      'context.input.amount <= 500 && context.input.currency == "EUR"',
    );
    // Cedar writes `a > b` as `!(a <= b)` and `a != b` as `!(a == b)`.
    expect(residualOf('context.input.amount > 500 || context.input.kind != "x"')).toBe(
      'context.input.amount > 500 || context.input.kind != "x"',
    );
    expect(residualOf('principal == A::"a" && context.input.n < 3')).toBe('context.input.n < 3');
  });

  it('keeps the parentheses precedence needs, and only those', () => {
    expect(residualOf('(context.input.a || context.input.b) && context.input.c')).toBe(
      '(context.input.a || context.input.b) && context.input.c',
    );
    expect(residualOf('context.input.n * (2 + context.input.m) - 1 > -5')).toBe(
      'context.input.n * (2 + context.input.m) - 1 > -5',
    );
    expect(residualOf('!(context.input.flag)')).toBe('!context.input.flag');
  });

  it('prints every kind of expression Cedar can leave', () => {
    expect(residualOf('context.input has "x y" && context.input["x y"] like "a\\*b*"')).toBe(
      'context.input has "x y" && context.input["x y"] like "a\\*b*"',
    );
    // Cedar desugars `x is A in y` into `x is A && x in y`.
    expect(residualOf('context.input.who is A in A::"team" && context.input.tags.containsAny(["a", "b"])')).toBe(
      'context.input.who is A && context.input.who in A::"team" && context.input.tags.containsAny(["a", "b"])',
    );
    const who = { '.': { left: { unknown: [{ Value: 'input' }] }, attr: 'who' } };
    expect(exprText({ is: { left: who, entity_type: 'A', in: { Value: { __entity: { type: 'A', id: 't' } } } } })).toBe(
      'context.input.who is A in A::"t"',
    );
    expect(residualOf('context.input.rec == {"a b": 1, c: [true]} && context.input.s.isEmpty()')).toBe(
      'context.input.rec == {"a b": 1, c: [true]} && context.input.s.isEmpty()',
    );
    expect(residualOf('context.input.ip.isInRange(ip("10.0.0.0/8")) && context.input.d.lessThan(decimal("1.5"))')).toBe(
      'context.input.ip.isInRange(ip("10.0.0.0/8")) && context.input.d.lessThan(decimal("1.5"))',
    );
    expect(residualOf('if context.input.b then context.input.n > 1 else context.input.n > 2')).toBe(
      'if context.input.b then context.input.n > 1 else context.input.n > 2',
    );
    expect(residualOf('context.input.s == "line\\nquote\\" \\u{1}"')).toBe('context.input.s == "line\\nquote\\" \\u{1}"');
  });

  it('writes a 64-bit literal as the policy did (Cedar hands it back rounded)', () => {
    const policy =
      'permit(principal, action, resource) when { context.input.n == 9007199254740993 && context.input.m > -9223372036854775808 };';
    const residual = partial({ p: policy }).residuals.p;
    expect(JSON.stringify(residual)).toContain('9007199254740992');
    expect(conditionText(residual, policy)).toBe('context.input.n == 9007199254740993 && context.input.m > -9223372036854775808');
  });

  it('falls back on Cedar’s printer for a node it does not know, never throwing', () => {
    const odd = { effect: 'permit', conditions: [{ kind: 'when', body: { someFutureNode: { x: 1 } } }] };
    expect(() => exprText({ someFutureNode: { x: 1 } })).toThrow();
    expect(typeof conditionText(odd)).toBe('string');
  });

  it('joins permits with || and forbids into an unless', () => {
    const answer = partial({
      a: 'permit(principal, action, resource) when { context.input.n < 5 };',
      b: 'permit(principal, action, resource) when { if context.input.b then true else context.input.n > 9 };',
      f: 'forbid(principal, action, resource) when { context.input.n == 3 };',
    });
    const text = residualText(answer.residuals, (id) => ({ text: '', position: ['a', 'b', 'f'].indexOf(id) }));
    expect(text).toMatchObject({
      when: 'context.input.n < 5 || context.input.b || context.input.n > 9',
      unless: 'context.input.n == 3',
      text: 'allowed when context.input.n < 5 || context.input.b || context.input.n > 9, unless context.input.n == 3',
    });
  });
});

describe('simplifying and refining residuals', () => {
  it('simplify keeps every value, errors included', () => {
    const x = { '.': { left: { unknown: [{ Value: 'input' }] }, attr: 'x' } };
    const t = { Value: true };
    const f = { Value: false };
    expect(simplify({ '&&': { left: t, right: x } })).toEqual(x);
    expect(simplify({ '&&': { left: x, right: t } })).toEqual(x);
    expect(simplify({ '||': { left: f, right: x } })).toEqual(x);
    // `x && false` is false or an error, never true: not the literal false (an error is not false).
    expect(simplify({ '&&': { left: x, right: f } })).toEqual({ '&&': { left: x, right: f } });
    expect(neverTrue(simplify({ '&&': { left: x, right: f } }))).toBe(true);
    expect(simplify({ 'if-then-else': { if: x, then: x, else: f } })).toEqual({ '&&': { left: x, right: x } });
    expect(simplify({ '!': { arg: { '<=': { left: x, right: { Value: 1 } } } } })).toEqual({
      '>': { left: x, right: { Value: 1 } },
    });
  });

  it('a forbid unless approved, with the approval granted, no longer leaves the call depending on it', () => {
    const policies = {
      permit: 'permit(principal, action, resource);',
      forbid:
        'forbid(principal, action, resource) when { context.input.n > 500 } unless { context has approval && context.approval.granted };',
    };
    const raw = partial(policies, true);
    // What Cedar says: undecided, the forbid's residual `!(n <= 500) && false` still "nontrivial".
    expect(raw.decision).toBeUndefined();
    expect(raw.nontrivialResiduals).toEqual(['forbid']);
    expect(refinePartial(raw)).toMatchObject({ decision: 'allow', mustBeDetermining: ['permit'], nontrivialResiduals: [] });
    // Without the approval it still depends on the input.
    const without = refinePartial(partial(policies));
    expect(without.decision).toBeUndefined();
    expect(conditionText(without.residuals.forbid)).toBe('context.input.n > 500');
  });

  it('a permit that holds for every input it can be evaluated on allows; one that never holds is dropped', () => {
    const refined = refinePartial(
      partial(
        {
          p: 'permit(principal, action, resource) when { context.input.env == "staging" || (context has approval && context.approval.granted) };',
          q: 'permit(principal, action, resource) when { context.input.n > 1 && context has approval };',
        },
        true,
      ),
    );
    expect(refined).toMatchObject({ decision: 'allow', mustBeDetermining: ['p'] });
    const none = refinePartial(
      partial({ q: 'permit(principal, action, resource) when { context.input.n > 1 && context has approval };' }),
    );
    expect(none).toMatchObject({ decision: 'deny', nontrivialResiduals: [] });
  });

  it('a forbid that may hold keeps the call depending on the input, with only the forbid as its condition', () => {
    const refined = refinePartial(
      partial({
        p: 'permit(principal, action, resource);',
        f: 'forbid(principal, action, resource) when { context.input.n > 5 };',
      }),
    );
    expect(refined.decision).toBeUndefined();
    expect(refined.nontrivialResiduals).toEqual(['f']);
    expect(residualCondition(refined.residuals.f)).toEqual({ '>': expect.anything() });
  });
});
