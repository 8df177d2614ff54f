import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseBinding } from '../../../server/src/core/bindings';
import { rangeIn, rangeOf } from '../tools/fixtures';
import { parseFixture } from './fixtures';

describe('a valid binding (SPEC §5 example)', () => {
  const { binding, problems, text, path } = parseFixture('valid/billing.agent.yaml');

  it('has no problems', () => {
    expect(problems).toEqual([]);
  });

  it('reads name, principal, identity, environment and audit with exact ranges', () => {
    expect(binding).toMatchObject({
      file: path,
      name: 'billing-assistant',
      nameRange: rangeOf(text, 'billing-assistant'),
      principal: {
        text: 'Agent::"billing-assistant"',
        type: 'Agent',
        id: 'billing-assistant',
        range: rangeOf(text, 'Agent::"billing-assistant"'),
      },
      identity: { type: 'workload', id: 'spiffe://acme.example/agents/billing-assistant' },
      environment: 'production',
      audit: { sink: 'otel://collector:4317' },
    });
    expect(binding?.keys['identity.type']).toEqual({
      key: rangeIn(text, '  type: workload', 'type'),
      value: rangeOf(text, 'workload', 0),
    });
    expect(binding?.keys['audit.sink'].value).toEqual(rangeOf(text, 'otel://collector:4317'));
  });

  it('reads credentials with durations in seconds', () => {
    expect(binding?.credentials.map((c) => [c.name, c.type, c.ttlSeconds, c.ttlText, c.revokeOnTaskEnd, c.secretRef])).toEqual([
      ['payments-api', 'jit-token', 900, '15m', true, 'vault://payments/billing'],
      ['ledger', 'oidc-federation', 3600, '3600', undefined, undefined],
    ]);
    expect(binding?.credentials[0].keys.ttl.value).toEqual(rangeOf(text, '15m'));
    expect(binding?.keys['credentials[0].ttl'].value).toEqual(rangeOf(text, '15m'));
  });

  it('reads tools as server/tool or bare names; a scoped server keeps its slash', () => {
    expect(binding?.tools.map((t) => [t.ref, t.server, t.tool])).toEqual([
      ['payments/create_refund', 'payments', 'create_refund'],
      ['get_invoice', undefined, 'get_invoice'],
      ['@acme/crm/lookup_customer', '@acme/crm', 'lookup_customer'],
    ]);
    expect(binding?.tools[0].range).toEqual(rangeOf(text, 'payments/create_refund'));
  });

  it('reads risk overrides', () => {
    expect(binding?.risk.map((r) => [r.tool, r.server, r.level])).toEqual([
      ['get_invoice', undefined, 'low'],
      ['create_refund', 'payments', 'high'],
    ]);
  });
});

describe('invalid values', () => {
  const { binding, problems, text } = parseFixture('bad-values/ops.agent.yml');
  const at = (needle: string, nth = 0) =>
    problems.find(
      (p) =>
        p.range.start.line === rangeOf(text, needle, nth).start.line &&
        p.range.start.character === rangeOf(text, needle, nth).start.character,
    );

  it('a bad duration is an error on that value; good ones still parse', () => {
    expect(at('90x')).toMatchObject({ severity: 'error', code: 'binding-invalid-value', range: rangeOf(text, '90x') });
    expect(at('90x')?.message).toMatch(/15m, 1h30m, 2d, 3600s/);
    expect(at('0s')).toMatchObject({ code: 'binding-invalid-value' });
    expect(binding?.credentials.map((c) => [c.name, c.ttlSeconds, c.ttlText])).toEqual([
      ['deploy-key', undefined, '90x'],
      ['short', 5400, '1h30m'],
      ['zero', undefined, '0s'],
      ['long', 172800, '2d'],
      ['', undefined, undefined],
    ]);
  });

  it('enums, types and entity references are checked on their values', () => {
    expect(at('robot')?.message).toBe('`identity.type` must be one of workload, human, service-account; found `robot`.');
    expect(at('42')?.message).toBe('`identity.id` must be a string, found a number.');
    expect(at('ops-bot', 1)?.message).toMatch(/Cedar entity reference such as `Agent::"ops-bot"`/);
    expect(at('"yes"')?.message).toMatch(/revokeOnTaskEnd` must be true or false/);
    expect(at('extreme')?.message).toMatch(/must be one of low, medium, high/);
    expect(binding?.identity).toEqual({ range: expect.anything() });
  });

  it('a credential without a name is an error; bad tool entries are errors', () => {
    expect(problems.filter((p) => p.code === 'binding-missing-key').map((p) => p.message)).toEqual([
      '`credentials[4]` needs a `name`.',
    ]);
    expect(at('deploy/')?.code).toBe('binding-invalid-value');
    expect(at('7')?.code).toBe('binding-invalid-value');
    expect(binding?.tools).toEqual([]);
  });
});

describe('unknown keys', () => {
  const { binding, problems, text } = parseFixture('unknown-keys/search.agent.yaml');

  it('are warnings on the key, with a suggestion where one is close', () => {
    expect(problems).toHaveLength(5);
    expect(problems.every((p) => p.severity === 'warning' && p.code === 'binding-unknown-key')).toBe(true);
    expect(problems.find((p) => p.message.includes('`principle`'))?.range).toEqual(rangeOf(text, 'principle'));
    expect(problems.find((p) => p.message.includes('`principle`'))?.message).toBe(
      'Unknown key `principle` in an agent binding; did you mean `principal`? It is ignored.',
    );
    expect(problems.find((p) => p.message.includes('`tool`'))?.message).toMatch(/did you mean `tools`\?/);
    expect(problems.find((p) => p.message.includes('`issuer`'))?.message).toBe(
      'Unknown key `issuer` in `identity`. It is ignored.',
    );
    expect(problems.find((p) => p.message.includes('`format`'))?.range).toEqual(rangeOf(text, 'format'));
    expect(problems.find((p) => p.message.includes('`scope`'))?.range).toEqual(rangeOf(text, 'scope'));
  });

  it('the rest of the binding is still read', () => {
    expect(binding).toMatchObject({ name: 'search-agent', identity: { type: 'service-account' }, audit: { sink: 'stdout' } });
    expect(binding?.principal).toBeUndefined();
    expect(binding?.tools).toEqual([]);
  });
});

describe('broken YAML', () => {
  it('is an error at the exact position yaml reports, never a throw', () => {
    const { problems, text, binding } = parseFixture('broken-yaml/broken.agent.yaml');
    expect(binding?.name).toBe('broken-agent');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ severity: 'error', code: 'yaml-syntax' });
    expect(problems[0].message).toMatch(/^Invalid YAML: /);
    // The same place as yaml's own 1-based `linePos`.
    const [first] = parseDocument(text).errors;
    expect(first.linePos).toBeDefined();
    expect(problems[0].range.start).toEqual({ line: first.linePos![0].line - 1, character: first.linePos![0].col - 1 });
    expect(problems[0].message).not.toContain('\n');
  });

  it('duplicate keys, tabs, garbage and empty files are problems', () => {
    const dup = parseBinding('/ws/a.agent.yaml', 'name: a\nname: b\n');
    expect(dup.problems[0]).toMatchObject({
      code: 'yaml-syntax',
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } },
    });
    expect(parseBinding('/ws/a.agent.yaml', '\t- : : [').problems.length).toBeGreaterThan(0);
    const empty = parseBinding('/ws/a.agent.yaml', '');
    expect(empty.binding).toBeUndefined();
    expect(empty.problems.map((p) => p.code)).toEqual(['binding-missing-key']);
    const list = parseBinding('/ws/a.agent.yaml', '- a\n- b\n');
    expect(list.binding).toBeUndefined();
    expect(list.problems[0].message).toMatch(/must be a mapping/);
  });

  it('a missing name is an error on the first key', () => {
    const r = parseBinding('/ws/a.agent.yaml', 'identity:\n  type: workload\n');
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'binding-missing-key',
        message: 'An agent binding needs a `name`.',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } },
      }),
    ]);
    expect(r.binding?.name).toBe('');
  });

  it('anchors and aliases resolve', () => {
    const r = parseBinding(
      '/ws/a.agent.yaml',
      'name: a\ncredentials:\n  - &c { name: x, type: jit-token, ttl: 5m }\ntools: [t]\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.binding?.credentials[0].ttlSeconds).toBe(300);
  });
});

describe('.agent.json', () => {
  it('reads JSONC with escapes in the principal id and a human identity', () => {
    const { binding, problems } = parseFixture('json/support.agent.json');
    expect(problems).toEqual([]);
    expect(binding).toMatchObject({
      name: 'support-agent',
      principal: { type: 'Acme::Agent', id: 'support "tier 1"' },
      identity: { type: 'human', id: 'alice@acme.example' },
    });
    expect(binding?.credentials[0]).toMatchObject({ ttlSeconds: 3600, revokeOnTaskEnd: false });
    expect(binding?.tools.map((t) => t.ref)).toEqual(['helpdesk/reply_ticket', 'close_ticket']);
  });

  it('broken JSON is a problem', () => {
    const r = parseBinding('/ws/a.agent.json', '{"name": "a", ');
    expect(r.problems[0]).toMatchObject({ code: 'json-syntax', severity: 'error' });
    expect(r.binding?.name).toBe('a');
  });
});

describe('secrets written into a binding', () => {
  const { binding, problems, text } = parseFixture('secrets/leaky.agent.yaml');

  it('are kept masked, never in full, and a reference stays a reference', () => {
    const json = JSON.stringify({ binding, problems });
    expect(json).not.toContain('sk_live_51HleakyLEAKYleaky2222222222222cc');
    expect(json).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(binding?.credentials[0].secretRef).toBeUndefined();
    expect(binding?.credentials[0].inlineSecrets).toEqual([
      {
        key: 'secretRef',
        maskedValue: `sk_l…(${'sk_live_51HleakyLEAKYleaky2222222222222cc'.length} chars)`,
        range: rangeOf(text, 'sk_live_51HleakyLEAKYleaky2222222222222cc'),
      },
    ]);
    expect(binding?.credentials[1].secretRef).toBe('${env:GITHUB_TOKEN}');
    expect(binding?.credentials[1].inlineSecrets.map((s) => s.key)).toEqual(['token']);
    expect(problems.map((p) => p.message)).toEqual(['Unknown key `token` in a credential. It is ignored.']);
  });
});
