import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../server/src/core/findings/finding';
import { posOf, workspace } from '../helpers';

/*
 * Each governance rule of SPEC §6, on a fixture where it fires and a near miss where it must stay
 * silent (SPEC §11's hard cases among them). The workspace: one MCP server "payments" with a
 * high-risk and a read-only tool, one well-governed agent, and policies that decide each pair.
 */

const SCHEMA = `namespace Acme {
  entity Team;
  entity Agent in [Team] { tier: Long };
  entity McpServer;
}
`;

const TOOLS = `{
  "server": "payments",
  "tools": [
    { "name": "create_refund", "description": "Refund a payment",
      "inputSchema": { "type": "object", "properties": { "amount": { "type": "integer" } }, "required": ["amount"] } },
    { "name": "get_invoice", "description": "Read an invoice", "annotations": { "readOnlyHint": true },
      "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] } }
  ]
}
`;

const GOOD_BINDING = `name: billing
principal: Acme::Agent::"billing"
identity:
  type: workload
  id: spiffe://acme/billing
credentials:
  - name: payments-api
    type: jit-token
    ttl: 15m
    revokeOnTaskEnd: true
    secretRef: vault://payments/billing
tools:
  - payments/create_refund
  - payments/get_invoice
audit:
  sink: otel://collector:4317
`;

const GOOD_POLICIES = `@id("read-invoices")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource)
when { context.input.id != "" };

@id("small-refunds")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource)
when { context.input.amount <= 500 };
`;

const ENTITIES = `[{ "uid": { "type": "Acme::Agent", "id": "billing" }, "attrs": { "tier": 1 }, "parents": [{ "type": "Acme::Team", "id": "finance" }] }]`;

function check(files: Record<string, string>) {
  const w = workspace(
    {
      'schema.cedarschema': SCHEMA,
      'tools/payments.tools.json': TOOLS,
      'agents/billing.agent.yaml': GOOD_BINDING,
      'policies/billing.cedar': GOOD_POLICIES,
      'entities.cedarentities.json': ENTITIES,
      ...files,
    },
    { actionNamespace: 'Acme' },
  );
  const all = [...w.service.checkAll().values()].flat();
  return { ...w, all, rule: (id: string) => all.filter((f: Finding) => f.ruleId === id) };
}

describe('the well-governed workspace', () => {
  it('has no governance finding at all', () => {
    const { all } = check({});
    expect(all.filter((f) => /^AG/.test(f.ruleId))).toEqual([]);
    expect(all.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('AG001 tool-without-policy', () => {
  it('fires on a tool no policy names, on its name', () => {
    const { rule, path } = check({ 'policies/billing.cedar': GOOD_POLICIES.split('\n\n')[1] });
    const [f] = rule('AG001');
    expect(f).toMatchObject({ file: path('tools/payments.tools.json'), tool: 'get_invoice', severity: 'warning' });
    expect(f.range.start).toEqual(posOf(TOOLS, '"get_invoice"'));
    expect(f.frameworks).toContainEqual({ framework: 'OWASP-ASI-2026', id: 'ASI02' });
    expect(f.url).toMatch(/docs\/rules\/AG001\.md$/);
  });

  it("fires even when a bare `action` covers the tool: that is AG010's business (SPEC §11)", () => {
    const bare = `@id("everything")\npermit (principal == Acme::Agent::"billing", action, resource);\n`;
    const { rule } = check({ 'policies/billing.cedar': bare });
    expect(
      rule('AG001')
        .map((f) => f.tool)
        .sort(),
    ).toEqual(['create_refund', 'get_invoice']);
  });

  it('near miss: a condition naming the action governs it', () => {
    const cond = `${GOOD_POLICIES.split('\n\n')[1]}\n@id("by-condition")\npermit (principal, action, resource) when { action == Acme::Action::"get_invoice" && principal == Acme::Agent::"billing" && context.input.id != "" };\n`;
    expect(check({ 'policies/billing.cedar': cond }).rule('AG001')).toEqual([]);
  });
});

describe('AG002 tool-without-binding', () => {
  it('fires on a tool no binding lists', () => {
    const binding = GOOD_BINDING.replace('  - payments/get_invoice\n', '');
    const [f] = check({ 'agents/billing.agent.yaml': binding }).rule('AG002');
    expect(f.tool).toBe('get_invoice');
  });
  it('near miss: a bare tool name in the binding counts', () => {
    const binding = GOOD_BINDING.replace('  - payments/get_invoice\n', '  - get_invoice\n');
    expect(check({ 'agents/billing.agent.yaml': binding }).rule('AG002')).toEqual([]);
  });
});

describe('AG003 unknown-tool-reference', () => {
  it('fires on a listed tool that exists nowhere, with a suggestion', () => {
    const binding = GOOD_BINDING.replace('  - payments/get_invoice\n', '  - payments/get_invoice\n  - payments/get_invoce\n');
    const { rule } = check({ 'agents/billing.agent.yaml': binding });
    const [f] = rule('AG003');
    expect(f.message).toContain('"payments/get_invoce"');
    expect(f.help).toContain('Did you mean "get_invoice"');
    expect(f.range.start).toEqual(posOf(binding, 'payments/get_invoce'));
  });
  it('near miss: the tool on another server is named as such', () => {
    const binding = GOOD_BINDING.replace('  - payments/get_invoice\n', '  - payments/get_invoice\n  - billing/get_invoice\n');
    const [f] = check({ 'agents/billing.agent.yaml': binding }).rule('AG003');
    expect(f.help).toContain('exists on server "payments"');
  });

  const unknown = `${GOOD_POLICIES}\n@id("ghost")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"nonexistent_tool", resource);\n`;
  /** The same workspace with no Cedar schema at all: Cedar validates nothing there. */
  const withoutSchema = (files: Record<string, string>) => {
    const w = workspace(
      {
        'tools/payments.tools.json': TOOLS,
        'agents/billing.agent.yaml': GOOD_BINDING,
        'policies/billing.cedar': GOOD_POLICIES,
        ...files,
      },
      { actionNamespace: 'Acme' },
    );
    const all = [...w.service.checkAll().values()].flat();
    return { ...w, all, rule: (id: string) => all.filter((f: Finding) => f.ruleId === id) };
  };

  it('fires on a policy naming an action no tool defines, in a workspace without a schema, on the action', () => {
    const { rule, all, path } = withoutSchema({ 'policies/billing.cedar': unknown });
    const [f, ...rest] = rule('AG003');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      file: path('policies/billing.cedar'),
      policy: 'ghost',
      tool: 'nonexistent_tool',
      severity: 'warning',
    });
    expect(f.message).toContain('`Acme::Action::"nonexistent_tool"`');
    expect(f.range).toEqual({
      start: posOf(unknown, 'Acme::Action::"nonexistent_tool"'),
      end: posOf(unknown, 'Acme::Action::"nonexistent_tool"', 'Acme::Action::"nonexistent_tool"'.length),
    });
    expect(f.frameworks).toContainEqual({ framework: 'NIST-AI-RMF', id: 'GOVERN 1.6' });
    // Nothing else would say so: without a schema Cedar does not validate.
    expect(all.filter((x) => x.ruleId === 'cedar-validation')).toEqual([]);
  });
  it('near miss: with a schema, Cedar\u2019s validation reports the undeclared action, and AG003 does not repeat it (SPEC \u00a711)', () => {
    const typo = unknown.replace('nonexistent_tool', 'get_invoce');
    const { rule, all } = check({ 'policies/billing.cedar': typo });
    expect(rule('AG003')).toEqual([]);
    expect(all.some((x) => x.ruleId === 'cedar-validation' && x.message.includes('get_invoce'))).toBe(true);
  });
  it('gives a "did you mean" without a schema', () => {
    const typo = unknown.replace('nonexistent_tool', 'get_invoce');
    const [f] = withoutSchema({ 'policies/billing.cedar': typo }).rule('AG003');
    expect(f.range.start).toEqual(posOf(typo, 'Acme::Action::"get_invoce"'));
    expect(f.help).toContain('Did you mean `Acme::Action::"get_invoice"`');
  });
  it('near miss: actions the tools define, and an action group of the entities, without a schema', () => {
    const group = `${GOOD_POLICIES}\n@id("reads")\npermit (principal == Acme::Agent::"billing", action in Acme::Action::"reads", resource);\n`;
    const entities = `[{ "uid": { "type": "Acme::Action", "id": "get_invoice" }, "attrs": {}, "parents": [{ "type": "Acme::Action", "id": "reads" }] }]`;
    expect(withoutSchema({}).rule('AG003')).toEqual([]);
    expect(withoutSchema({ 'policies/billing.cedar': group, 'actions.cedarentities.json': entities }).rule('AG003')).toEqual([]);
    // The control: the same group with no entities file declaring it is unknown.
    expect(withoutSchema({ 'policies/billing.cedar': group }).rule('AG003')).toHaveLength(1);
  });
  it('near miss: an action group the schema declares', () => {
    const schema = SCHEMA.replace('entity McpServer;', 'entity McpServer;\n  action "reads";');
    const group = `${GOOD_POLICIES}\n@id("reads")\npermit (principal == Acme::Agent::"billing", action in Acme::Action::"reads", resource);\n`;
    expect(check({ 'schema.cedarschema': schema, 'policies/billing.cedar': group }).rule('AG003')).toEqual([]);
  });
});

describe('AG004 human-identity', () => {
  it('fires on `identity.type: human`, on that key', () => {
    const binding = GOOD_BINDING.replace('type: workload', 'type: human');
    const [f] = check({ 'agents/billing.agent.yaml': binding }).rule('AG004');
    expect(f).toMatchObject({ severity: 'error', agent: 'billing' });
    expect(f.range.start).toEqual(posOf(binding, 'type: human'));
  });
  it('fires on a binding with no identity at all, on its name', () => {
    const binding = GOOD_BINDING.replace(/identity:\n {2}type: workload\n {2}id: spiffe:\/\/acme\/billing\n/, '');
    const [f] = check({ 'agents/billing.agent.yaml': binding }).rule('AG004');
    expect(f.message).toContain('no identity');
    expect(f.range.start).toEqual(posOf(binding, 'billing'));
  });
  it('near miss: a service account is not a human', () => {
    const binding = GOOD_BINDING.replace('type: workload', 'type: service-account');
    expect(check({ 'agents/billing.agent.yaml': binding }).rule('AG004')).toEqual([]);
  });
});

describe('AG005 shared-identity', () => {
  const other = (edit: (s: string) => string) =>
    edit(
      GOOD_BINDING.replace('name: billing', 'name: refunds')
        .replace('Agent::"billing"', 'Agent::"refunds"')
        .replace('spiffe://acme/billing', 'spiffe://acme/refunds')
        .replace('vault://payments/billing', 'vault://payments/refunds'),
    );

  it('fires on each agent sharing a principal', () => {
    const { rule } = check({ 'agents/refunds.agent.yaml': other((s) => s.replace('Agent::"refunds"', 'Agent::"billing"')) });
    expect(
      rule('AG005')
        .map((f) => f.agent)
        .sort(),
    ).toEqual(['billing', 'refunds']);
    expect(rule('AG005')[0].message).toMatch(/shares its Cedar principal with "(billing|refunds)"/);
  });
  it('fires on a shared identity id and on a shared credential', () => {
    const shared = other((s) =>
      s.replace('spiffe://acme/refunds', 'spiffe://acme/billing').replace('vault://payments/refunds', 'vault://payments/billing'),
    );
    const { rule } = check({ 'agents/refunds.agent.yaml': shared });
    expect(rule('AG005')).toHaveLength(4);
    expect(rule('AG005').filter((f) => f.message.includes('credential'))).toHaveLength(2);
  });
  it('puts a shared credential on the shared one, not on the first credential with a secretRef', () => {
    // Each agent's first credential is its own; only the second (`ledger-api`) is shared.
    const ledger =
      '  - name: ledger-api\n    type: jit-token\n    ttl: 15m\n    revokeOnTaskEnd: true\n    secretRef: vault://ledger/shared\n';
    const withLedger = (b: string) => b.replace('tools:\n', `${ledger}tools:\n`);
    const billing = withLedger(GOOD_BINDING);
    const refunds = withLedger(other((s) => s));
    const { rule, path } = check({ 'agents/billing.agent.yaml': billing, 'agents/refunds.agent.yaml': refunds });
    const shared = rule('AG005');
    expect(shared.map((f) => f.agent).sort()).toEqual(['billing', 'refunds']);
    for (const [file, text] of [
      ['agents/billing.agent.yaml', billing],
      ['agents/refunds.agent.yaml', refunds],
    ]) {
      const f = shared.find((x) => x.file === path(file))!;
      expect(f.message).toContain('shares a credential');
      // The `secretRef` key of `ledger-api` (the second `secretRef` of the file), not of `payments-api`.
      expect(f.range.start).toEqual(posOf(text, 'secretRef', 0, 1));
    }
  });
  it('near miss: two agents with their own identities', () => {
    expect(check({ 'agents/refunds.agent.yaml': other((s) => s) }).rule('AG005')).toEqual([]);
  });
});

describe('AG006 long-lived-credential', () => {
  const withCredential = (c: string) => GOOD_BINDING.replace(/ {2}- name: payments-api\n(?: {4}.*\n)+/, c);
  it('fires on a static API key, on its type', () => {
    const b = withCredential('  - name: key\n    type: static-api-key\n    revokeOnTaskEnd: true\n    secretRef: vault://k\n');
    const [f] = check({ 'agents/billing.agent.yaml': b }).rule('AG006');
    expect(f.range.start).toEqual(posOf(b, 'static-api-key'));
  });
  it('fires on a TTL above the maximum, also for oidc-federation (SPEC §11)', () => {
    const b = withCredential(
      '  - name: fed\n    type: oidc-federation\n    ttl: 2h\n    revokeOnTaskEnd: true\n    secretRef: vault://f\n',
    );
    const [f] = check({ 'agents/billing.agent.yaml': b }).rule('AG006');
    expect(f.message).toContain('2h');
    expect(f.range.start).toEqual(posOf(b, '2h'));
  });
  it('fires on a jit-token without ttl and on a credential not revoked at task end', () => {
    const b = withCredential('  - name: jit\n    type: jit-token\n    secretRef: vault://j\n');
    const msgs = check({ 'agents/billing.agent.yaml': b })
      .rule('AG006')
      .map((f) => f.message);
    expect(msgs.some((m) => m.includes('without a `ttl`'))).toBe(true);
    expect(msgs.some((m) => m.includes('not revoked'))).toBe(true);
  });
  it('near miss: oidc-federation within the maximum, revoked at task end', () => {
    const b = withCredential(
      '  - name: fed\n    type: oidc-federation\n    ttl: 1h\n    revokeOnTaskEnd: true\n    secretRef: vault://f\n',
    );
    expect(check({ 'agents/billing.agent.yaml': b }).rule('AG006')).toEqual([]);
  });
});

describe('AG007 hardcoded-secret', () => {
  it('fires on a literal secret in an MCP configuration, masked', () => {
    const secret = 'sk_live_51HxYzAbCdEfGhIjKlMnOpQr';
    const cfg = `{ "servers": { "payments": { "command": "node", "env": { "STRIPE_API_KEY": "${secret}" } } } }`;
    const [f] = check({ '.vscode/mcp.json': cfg }).rule('AG007');
    expect(f.severity).toBe('error');
    expect(JSON.stringify(f)).not.toContain(secret);
    expect(f.range.start).toEqual(posOf(cfg, `"${secret}"`));
  });
  it('near miss: an env reference is not a secret', () => {
    const cfg = '{ "servers": { "payments": { "command": "node", "env": { "STRIPE_API_KEY": "${env:STRIPE_API_KEY}" } } } }';
    expect(check({ '.vscode/mcp.json': cfg }).rule('AG007')).toEqual([]);
  });

  // Assembled at run time, so this file holds no secret in a scannable form.
  const stripeKey = ['sk', 'live', '51HxYzAbCdEfGhIjKlMnOpQr'].join('_');
  const token = ['9f8e7d6c5b4a', '39281706f5e4d3c2'].join('');
  const code = (body: string) =>
    `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport Stripe from 'stripe';\nconst server = new McpServer({ name: 'payments', version: '1.0.0' });\n${body}\nserver.registerTool('get_invoice', { description: 'Read an invoice' }, async () => ({ content: [] }));\n`;

  it('fires on a secret literal in TypeScript tool code, on the literal, masked', () => {
    const ts = code(`const stripe = new Stripe("${stripeKey}");\nconst headers = { Authorization: "Bearer ${token}" };`);
    const { rule, path } = check({ 'tools/server.ts': ts });
    const found = rule('AG007');
    expect(found.map((f) => f.range.start)).toEqual([posOf(ts, `"${stripeKey}"`), posOf(ts, `"Bearer ${token}"`)]);
    expect(found.every((f) => f.file === path('tools/server.ts') && f.severity === 'error')).toBe(true);
    expect(found[0].message).toContain('tool code "server.ts" (`new Stripe(…)`: sk_l…(32 chars))');
    expect(found[1].message).toContain('`Authorization`: Bearer 9f8e…(28 chars)');
    expect(JSON.stringify(found)).not.toContain(stripeKey);
    expect(JSON.stringify(found)).not.toContain(token);
  });
  it('fires on a secret in a JSON tool list, on the value', () => {
    const list = TOOLS.replace(
      '"description": "Read an invoice",',
      `"description": "Read an invoice", "_meta": { "apiKey": "${token}" },`,
    );
    const [f, ...rest] = check({ 'tools/payments.tools.json': list }).rule('AG007');
    expect(rest).toEqual([]);
    expect(f.range.start).toEqual(posOf(list, `"${token}"`));
    expect(f.message).not.toContain(token);
  });
  it('near miss: process.env, placeholders and names about a credential in tool code', () => {
    const ts = code(
      `const stripe = new Stripe(process.env.STRIPE_API_KEY!);\nconst opts = { apiKey: '<your key>', token: 'sk_test_xxxxxxxxxxxxxxxxxxxx', apiKeyHeader: 'x-api-key', tokenEnv: 'STRIPE_API_KEY', password: '' };`,
    );
    expect(check({ 'tools/server.ts': ts }).rule('AG007')).toEqual([]);
  });
});

describe('AG008 unconditional-permit', () => {
  it('fires on the permit that allows a pair whatever the context, with the binding as related information', () => {
    const p = `@id("read-invoices")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource);\n\n${GOOD_POLICIES.split('\n\n')[1]}`;
    const { rule, path } = check({ 'policies/billing.cedar': p });
    const [f] = rule('AG008');
    expect(f).toMatchObject({
      file: path('policies/billing.cedar'),
      policy: 'read-invoices',
      agent: 'billing',
      tool: 'get_invoice',
    });
    expect(f.range.start).toEqual(posOf(p, 'permit'));
    expect(f.related?.some((r) => r.file === path('agents/billing.agent.yaml'))).toBe(true);
  });
  it('near miss: an unconditional permit guarded by a forbid … unless approval (SPEC §11)', () => {
    const p = `@id("read-invoices")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource);\n\n@id("approval")\nforbid (principal, action == Acme::Action::"get_invoice", resource) unless { context has approval && context.approval.granted };\n\n${GOOD_POLICIES.split('\n\n')[1]}`;
    expect(check({ 'policies/billing.cedar': p }).rule('AG008')).toEqual([]);
  });
});

describe('AG009 any-principal-permit', () => {
  it('fires on a bare principal and on `principal is Agent` with no further condition', () => {
    const p = `${GOOD_POLICIES}\n@id("anyone")\npermit (principal, action == Acme::Action::"get_invoice", resource) when { context.input.id != "" };\n\n@id("any-agent")\npermit (principal is Acme::Agent, action == Acme::Action::"get_invoice", resource) when { context.input.id != "" };\n`;
    expect(
      check({ 'policies/billing.cedar': p })
        .rule('AG009')
        .map((f) => f.policy)
        .sort(),
    ).toEqual(['any-agent', 'anyone']);
  });
  it('near miss: a bare principal narrowed in `when`, and `principal in Team`', () => {
    const p = `${GOOD_POLICIES}\n@id("narrowed")\npermit (principal, action == Acme::Action::"get_invoice", resource) when { principal in [Acme::Agent::"billing"] };\n\n@id("team")\npermit (principal in Acme::Team::"finance", action == Acme::Action::"get_invoice", resource) when { context.input.id != "" };\n`;
    expect(check({ 'policies/billing.cedar': p }).rule('AG009')).toEqual([]);
  });
});

describe('AG010 wildcard-action', () => {
  it('fires on a permit for an agent with a bare action', () => {
    const p = `${GOOD_POLICIES}\n@id("all-actions")\npermit (principal in Acme::Team::"finance", action, resource) when { context has input };\n`;
    const [f] = check({ 'policies/billing.cedar': p }).rule('AG010');
    expect(f.policy).toBe('all-actions');
  });
  it('near miss: a bare action narrowed in `when` to a list', () => {
    const p = `${GOOD_POLICIES}\n@id("listed")\npermit (principal == Acme::Agent::"billing", action, resource) when { action in [Acme::Action::"get_invoice"] && context.input.id != "" };\n`;
    expect(check({ 'policies/billing.cedar': p }).rule('AG010')).toEqual([]);
  });
});

describe('AG011 high-risk-without-step-up', () => {
  const unconditionalRefunds = `${GOOD_POLICIES.split('\n\n')[0]}\n\n@id("all-refunds")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource);\n`;
  it('fires on the binding entry of a high-risk tool allowed with no approval and no bound', () => {
    const { rule, path } = check({ 'policies/billing.cedar': unconditionalRefunds });
    const [f] = rule('AG011');
    expect(f).toMatchObject({
      severity: 'error',
      file: path('agents/billing.agent.yaml'),
      tool: 'create_refund',
      policy: 'all-refunds',
    });
    expect(f.range.start).toEqual(posOf(GOOD_BINDING, 'payments/create_refund'));
    expect(f.message).toContain('policy "all-refunds"');
  });
  it('near miss: the permit requires an approval', () => {
    const p = unconditionalRefunds.replace(
      'resource);\n',
      'resource) when { context has approval && context.approval.granted };\n',
    );
    expect(check({ 'policies/billing.cedar': p }).rule('AG011')).toEqual([]);
  });
  it('near miss: a bounded input (the good workspace) and SDK-level needsApproval', () => {
    expect(check({}).rule('AG011')).toEqual([]);
    const sdk = `import { tool } from 'ai';\nimport { z } from 'zod';\nexport const tools = {\n  wire_transfer: tool({ description: 'Transfer money', inputSchema: z.object({ amount: z.number() }), needsApproval: true, execute: async () => 1 }),\n};\n`;
    const binding = GOOD_BINDING.replace('  - payments/get_invoice\n', '  - payments/get_invoice\n  - wire_transfer\n');
    const p = `${GOOD_POLICIES}\n@id("transfers")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"wire_transfer", resource);\n`;
    const { rule } = check({ 'tools/agent.ts': sdk, 'agents/billing.agent.yaml': binding, 'policies/billing.cedar': p });
    expect(rule('AG011')).toEqual([]);
    expect(rule('AG008').map((f) => f.tool)).toEqual(['wire_transfer']);
  });

  // A tool without an MCP server has no known resource: a permit narrowed only by the resource
  // cannot be decided, yet nothing of the context is ever checked (examples: support-reply).
  const serverless = (needsApproval: string, when: string) => {
    const sdk = `import { tool } from 'ai';\nimport { z } from 'zod';\nexport const tools = {\n  wire_transfer: tool({ description: 'Transfer money', inputSchema: z.object({ amount: z.number() }),${needsApproval} execute: async () => 1 }),\n};\n`;
    const binding = GOOD_BINDING.replace('  - payments/get_invoice\n', '  - payments/get_invoice\n  - wire_transfer\n');
    const p = `${GOOD_POLICIES}\n@id("transfers")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"wire_transfer", resource == Acme::McpServer::"payments")${when};\n`;
    return check({ 'tools/agent.ts': sdk, 'agents/billing.agent.yaml': binding, 'policies/billing.cedar': p });
  };
  it('fires when the decision waits only on the resource of a tool without a server: no context is ever checked', () => {
    const { rule } = serverless('', '');
    expect(rule('AG011').map((f) => [f.tool, f.severity, f.policy])).toEqual([['wire_transfer', 'error', 'transfers']]);
    expect(rule('AG008').map((f) => f.policy)).toEqual(['transfers']);
  });
  it('near miss: the same permit bounding the input is undecided (info), not a finding of AG008 or AG011', () => {
    const { rule } = serverless('', ' when { context.input.amount <= 500 }');
    expect(rule('AG008')).toEqual([]);
    expect(rule('AG011').map((f) => [f.severity, f.message])).toEqual([
      ['info', expect.stringMatching(/could not be decided: it depends on the resource, which is not known statically/)],
    ]);
    expect(serverless(' needsApproval: true,', '').rule('AG011')).toEqual([]);
  });
});

describe('AG012 missing-audit', () => {
  it('fires on an agent with tools and no audit sink', () => {
    const [f] = check({ 'agents/billing.agent.yaml': GOOD_BINDING.replace(/audit:\n.*\n/, '') }).rule('AG012');
    expect(f.message).toContain('has 2 tools');
  });
  it('near miss: an agent without tools needs no audit sink', () => {
    const b = GOOD_BINDING.replace(/audit:\n.*\n/, '').replace(/tools:\n(?: {2}- .*\n)+/, '');
    expect(check({ 'agents/billing.agent.yaml': b }).rule('AG012')).toEqual([]);
  });
});

describe('AG013 misleading-annotation', () => {
  it('fires on readOnlyHint on a destructive-named tool', () => {
    const tools = TOOLS.replace(
      '"name": "create_refund", "description": "Refund a payment",',
      '"name": "delete_payment", "description": "Remove a payment", "annotations": { "readOnlyHint": true },',
    );
    const [f] = check({ 'tools/payments.tools.json': tools }).rule('AG013');
    expect(f.tool).toBe('delete_payment');
    expect(f.message).toContain('deletes');
  });
  it('near miss: readOnlyHint on a name led by a read-only verb', () => {
    const tools = TOOLS.replace('"name": "get_invoice"', '"name": "check_refund_status"');
    expect(check({ 'tools/payments.tools.json': tools }).rule('AG013')).toEqual([]);
  });
});
