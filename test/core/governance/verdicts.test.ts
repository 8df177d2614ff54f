import { describe, expect, it } from 'vitest';
import { cedarGateway } from '../../../server/src/core/cedar/gateway';
import { evaluateRules } from '../../../server/src/core/governance/evaluate';
import { factsRead, RulePack } from '../../../server/src/core/governance/rulePack';
import type { Subject } from '../../../server/src/core/governance/subject';

/*
 * A subject's verdict is remembered by what the pack can read of it (rulePack.ts `factsRead`),
 * so thousands of subjects that differ only in names cost a few Cedar calls. These tests pin the
 * over-approximation down: anything Cedar could read keeps subjects apart.
 */

const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const tool = (id: string, attrs: Subject['attrs']): Subject => ({ type: 'Tool', id, attrs, file: '/w/t.json', range: RANGE });
const pack = (text: string) => new RulePack([{ file: '/w/.agentgov/rules/r.cedar', text, builtIn: false }]);
const authorizeCalls = () => cedarGateway.callStats().authorize?.calls ?? 0;

describe('what a rule pack can read of a subject', () => {
  it('reads attribute names in conditions (`.a`, `["b c"]`, `has d`) but not annotations', () => {
    const r = factsRead([
      '@id("x")\n@message("{name} is {risk}")\nforbid (principal, action, resource) when { principal.a && principal["b c"] && principal has d };',
    ]);
    expect([...r.names]).toEqual(expect.arrayContaining(['a', 'b c', 'd']));
    expect(r.names.has('name')).toBe(false);
    expect(r.names.has('risk')).toBe(false);
    expect(r.ids).toBe(false);
  });

  it('depends on ids only when an entity literal other than the evaluate action appears', () => {
    expect(factsRead(['forbid (principal, action == AgentGov::Action::"evaluate", resource);']).ids).toBe(false);
    expect(factsRead(['forbid (principal == AgentGov::Tool::"t1", action, resource);']).ids).toBe(true);
  });
});

describe('verdicts shared by subjects alike in what the pack reads', () => {
  const text =
    '@id("r1")\n@message("Tool {name} is risky")\nforbid (principal is AgentGov::Tool, action, resource) when { principal has risk && principal.risk == "high" };';

  it('asks Cedar once for many subjects that differ only in unread attributes, and still judges each right', () => {
    const p = pack(text);
    const subjects = Array.from({ length: 50 }, (_, i) => tool(`t${i}`, { name: `t${i}`, risk: i % 2 ? 'high' : 'low' }));
    const before = authorizeCalls();
    const findings = evaluateRules(p, subjects);
    expect(authorizeCalls() - before).toBe(2);
    expect(findings.map((f) => f.message)).toEqual(subjects.filter((_, i) => i % 2).map((s) => `Tool ${s.id} is risky`));
  });

  it('keeps subjects apart by id when the pack names one', () => {
    const p = pack('@id("r2")\nforbid (principal == AgentGov::Tool::"t3", action, resource);');
    const findings = evaluateRules(
      p,
      Array.from({ length: 5 }, (_, i) => tool(`t${i}`, { name: `same` })),
    );
    expect(findings).toHaveLength(1);
  });

  it('keeps subjects apart when an attribute is present in one and absent in another', () => {
    const p = pack('@id("r3")\nforbid (principal, action, resource) when { principal has owner };');
    const findings = evaluateRules(p, [tool('a', { name: 'a' }), tool('b', { name: 'b', owner: 'x' })]);
    expect(findings.map((f) => f.tool ?? f.message)).toHaveLength(1);
  });
});
