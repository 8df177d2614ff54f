import { describe, expect, it } from 'vitest';
import { cedarGateway } from '../../../server/src/core/cedar/gateway';
import { entryOf } from '../../../server/src/core/governance/frameworks/catalog';
import { builtInRulePack, FACTS_SCHEMA_TEXT } from '../../../server/src/core/governance/rulePack';

describe('the built-in rule pack (policies/)', () => {
  const pack = builtInRulePack();

  it('holds the thirteen rules of SPEC §6, each with a severity, a message, help and framework mappings', () => {
    expect(pack.rules().map((r) => r.ruleId)).toEqual(
      Array.from({ length: 13 }, (_, i) => `AG${String(i + 1).padStart(3, '0')}`),
    );
    expect(pack.problems).toEqual([]);
    for (const p of pack.policies) {
      expect(p.message, p.cedarId).not.toMatch(/^Rule /);
      expect(p.help, p.cedarId).toBeTruthy();
      expect(p.frameworks.length, p.cedarId).toBeGreaterThan(0);
      expect(p.url).toBe(`https://github.com/agentgov/cedar-agent-governance/blob/main/docs/rules/${p.ruleId}.md`);
    }
  });

  it('maps every rule only to framework entries the catalog knows', () => {
    const unknown = pack.policies.flatMap((p) =>
      p.frameworks.filter((f) => !entryOf(f.framework, f.id)).map((f) => `${p.cedarId}: ${f.framework} ${f.id}`),
    );
    expect(unknown).toEqual([]);
  });

  it('is valid Cedar against the governance facts schema (Cedar validates it, strict mode)', () => {
    const schema = cedarGateway.schemaToJson(FACTS_SCHEMA_TEXT);
    expect(schema.errors).toEqual([]);
    const result = cedarGateway.validate(
      schema.json!,
      pack.policies.map((p) => ({ id: p.cedarId, text: p.text, isTemplate: false })),
    );
    expect(result.failure).toBeUndefined();
    expect([...result.errors.values()].flat()).toEqual([]);
    expect([...result.warnings.values()].flat()).toEqual([]);
  });

  it('gives every forbid its own id, so Cedar names the one that held', () => {
    const ids = pack.policies.map((p) => p.cedarId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('what a hover explains', () => {
  it('every built-in rule says why it matters', () => {
    expect(
      builtInRulePack()
        .rules()
        .filter((r) => !r.why)
        .map((r) => r.ruleId),
    ).toEqual([]);
  });
});
