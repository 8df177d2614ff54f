import { parseTree, type ParseError } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { Finding } from '../../server/src/core/findings/finding';
import { type Fix, fixesFor, REASON_PLACEHOLDER } from '../../server/src/core/fixes';
import { formatPolicyText } from '../../server/src/core/language/format';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { ROOT, workspace } from './helpers';

/*
 * Each quick fix on a workspace where its finding fires: the fix's edits are applied to the
 * texts, the workspace is checked again through the real service, and the finding must be gone
 * with no new Cedar finding anywhere and every edited YAML/JSON file still parsing.
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
      "inputSchema": { "type": "object", "properties": { "amount": { "type": "integer" }, "currency": { "type": "string", "enum": ["EUR", "USD"] }, "note": { "type": "string" } }, "required": ["amount", "currency"] } },
    { "name": "get_invoice", "description": "Read an invoice", "annotations": { "readOnlyHint": true },
      "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] } }
  ]
}
`;

const BINDING = `name: billing
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

const READ = `@id("read-invoices")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource)
when { context.input.id != "" };
`;

const REFUNDS = `@id("small-refunds")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource)
when { context.input.amount <= 500 };
`;

const ENTITIES = `[{ "uid": { "type": "Acme::Agent", "id": "billing" }, "attrs": { "tier": 1 }, "parents": [] }]`;

const BASE: Record<string, string> = {
  'schema.cedarschema': SCHEMA,
  'entities.cedarentities.json': ENTITIES,
  'tools/payments.tools.json': TOOLS,
  'agents/billing.agent.yaml': BINDING,
  'policies/billing.cedar': `${READ}\n${REFUNDS}`,
};

type Files = Record<string, string>;

function check(files: Files) {
  const w = workspace(files, { actionNamespace: 'Acme' });
  const all = [...w.service.checkAll().values()].flat();
  const shown = all.filter((f) => !f.suppressed);
  return { ...w, all, shown, rule: (id: string) => shown.filter((f) => f.ruleId === id) };
}

const rel = (path: string) => path.slice(ROOT.length + 1);

/** The texts after a fix: edits applied from the last to the first, created files starting empty. */
function apply(files: Files, fix: Fix): Files {
  const out = { ...files };
  for (const f of fix.creates ?? []) {
    expect(out[rel(f)], `${rel(f)} already exists`).toBeUndefined();
    out[rel(f)] = '';
  }
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const text = out[rel(file)];
    expect(text, `${rel(file)} exists`).toBeDefined();
    const lines = new LineIndex(text);
    const spans = edits
      .map((e) => ({ from: lines.offsetAt(e.range.start), to: lines.offsetAt(e.range.end), text: e.newText }))
      .sort((a, b) => b.from - a.from);
    let next = text;
    for (const s of spans) next = next.slice(0, s.from) + s.text + next.slice(s.to);
    out[rel(file)] = next;
  }
  return out;
}

/** What identifies a finding across an edit (ranges move). */
const identity = (f: Finding) => [f.ruleId, rel(f.file), f.agent, f.tool, f.policy, f.message].join('|');

/**
 * Applies a fix and checks again: the finding is gone, no Cedar finding is new, no reader of a
 * binding or config complains anew, and each edited YAML/JSON file parses. Answers the new check.
 */
function applyAndRecheck(files: Files, fix: Fix) {
  const before = check(files);
  const after = check(apply(files, fix));
  expect(after.shown.map(identity)).not.toContain(identity(fix.finding));
  const known = new Set(before.all.map((f) => [f.ruleId, rel(f.file), f.message].join('|')));
  const fresh = after.all.filter(
    (f) => /^(cedar-|agentgov-)/.test(f.ruleId) && !known.has([f.ruleId, rel(f.file), f.message].join('|')),
  );
  expect(fresh).toEqual([]);
  for (const file of new Set(fix.edits.map((e) => rel(e.file)))) {
    const text = apply(files, fix)[file];
    if (/\.ya?ml$/.test(file)) expect(parseDocument(text).errors).toEqual([]);
    if (/\.json$/.test(file)) {
      const errors: ParseError[] = [];
      parseTree(text, errors, { allowTrailingComma: true });
      expect(errors).toEqual([]);
    }
  }
  return { ...after, files: apply(files, fix) };
}

/** The fixes of the one finding of a rule (for a tool, when given). */
function fixesOf(files: Files, ruleId: string, tool?: string) {
  const c = check(files);
  const found = c.rule(ruleId).filter((f) => tool === undefined || f.tool === tool);
  expect(found, `${ruleId} fires`).toHaveLength(1);
  return fixesFor(c.service, found[0].file, found[0]);
}

const titled = (fixes: Fix[], start: string) => {
  const fix = fixes.find((f) => f.title.startsWith(start));
  expect(fix, `a fix titled "${start}…" among ${JSON.stringify(fixes.map((f) => f.title))}`).toBeDefined();
  return fix!;
};

describe('AG001: create a policy for the tool', () => {
  it('appends a permit for the bound agent to the policy file that governs it, with the input fields as a commented `when`', () => {
    const files = { ...BASE, 'policies/billing.cedar': REFUNDS, 'policies/other.cedar': '// nothing here yet\n' };
    const fix = titled(fixesOf(files, 'AG001', 'get_invoice'), 'Create a policy for get_invoice');
    expect(fix.title).toBe('Create a policy for get_invoice in policies/billing.cedar');
    expect(fix.isPreferred).toBe(true);
    expect(fix.creates).toBeUndefined();
    const [edit] = fix.edits;
    expect(rel(edit.file)).toBe('policies/billing.cedar');
    expect(edit.newText).toContain('@id("billing-get_invoice")');
    expect(edit.newText).toContain('principal == Acme::Agent::"billing",');
    expect(edit.newText).toContain('action == Acme::Action::"get_invoice",');
    expect(edit.newText).toContain('resource == Acme::McpServer::"payments"');
    expect(edit.newText).toMatch(/\/\/ when \{\n\/\/ {3}context\.input\.id == ""\n\/\/ \}\n;\n$/);
    // Not high-risk: no approval condition.
    expect(edit.newText).not.toContain('approval');
    const after = applyAndRecheck(files, fix);
    expect(after.files['policies/billing.cedar'].startsWith(REFUNDS)).toBe(true);
    expect(after.rule('AG001')).toEqual([]);
  });

  it('writes what Cedar’s formatter would write', () => {
    const files = { ...BASE, 'policies/billing.cedar': REFUNDS };
    const fix = titled(fixesOf(files, 'AG001', 'get_invoice'), 'Create a policy');
    const added = fix.edits[0].newText.replace(/^\n/, '');
    expect(formatPolicyText(added, { tabSize: 2 })).toBe(added);
  });

  it('requires an approval on a high-risk tool, with a condition that validates against the derived schema', () => {
    const files = { ...BASE, 'policies/billing.cedar': READ };
    const fix = titled(fixesOf(files, 'AG001', 'create_refund'), 'Create a policy for create_refund');
    const text = fix.edits[0].newText;
    expect(text).toContain('when { context has approval && context.approval.granted };');
    // Typed by the tool's schema: the enum's first value, a bound on the number, presence first for the optional field.
    expect(text).toContain('//   context.input.amount <= 0 &&');
    expect(text).toContain('//   context.input.currency == "EUR" &&');
    expect(text).toContain('//   context.input has note && context.input.note == ""');
    const after = applyAndRecheck(files, fix);
    // The approval makes the new permit neither unconditional nor a step-up gap.
    expect(after.rule('AG008')).toEqual([]);
    expect(after.rule('AG011')).toEqual([]);
  });

  it('leaves the approval out (and says why) when the workspace schema declares the action without one', () => {
    const schema = SCHEMA.replace(
      '  entity McpServer;\n',
      '  entity McpServer;\n  action "create_refund" appliesTo { principal: Agent, resource: McpServer, context: { input: { amount: Long } } };\n',
    );
    const files = { ...BASE, 'schema.cedarschema': schema, 'policies/billing.cedar': READ };
    const fix = titled(fixesOf(files, 'AG001', 'create_refund'), 'Create a policy');
    const text = fix.edits[0].newText;
    expect(text).not.toMatch(/^when \{ context has approval/m);
    expect(text).toContain('declares no `context.approval`');
    // Typed by the declared action: only `amount`.
    expect(text).toContain('//   context.input.amount <= 0\n');
    expect(text).not.toContain('currency');
    applyAndRecheck(files, fix);
  });

  it('creates policies/<tool>.cedar when the workspace has no policy file', () => {
    const { 'policies/billing.cedar': _, ...files } = BASE;
    const fix = titled(fixesOf(files, 'AG001', 'get_invoice'), 'Create a policy');
    expect(fix.title).toBe('Create a policy for get_invoice in policies/get_invoice.cedar');
    expect(fix.creates?.map(rel)).toEqual(['policies/get_invoice.cedar']);
    expect(fix.edits.map((e) => [rel(e.file), e.range.start])).toEqual([
      ['policies/get_invoice.cedar', { line: 0, character: 0 }],
    ]);
    const after = applyAndRecheck(files, fix);
    expect(after.rule('AG001').map((f) => f.tool)).toEqual(['create_refund']);
  });

  it('creates the new file next to the other policy files when none of them is about the tool', () => {
    const unrelated = '@id("nobody")\nforbid (principal == Acme::Agent::"nobody", action, resource);\n';
    const { 'policies/billing.cedar': _, ...rest } = BASE;
    const files = { ...rest, 'authz/base.cedar': unrelated };
    const fix = titled(fixesOf(files, 'AG001', 'get_invoice'), 'Create a policy');
    expect(fix.creates?.map(rel)).toEqual(['authz/get_invoice.cedar']);
    applyAndRecheck(files, fix);
  });

  it('permits any principal for a tool no agent is bound to', () => {
    const files = {
      ...BASE,
      'agents/billing.agent.yaml': BINDING.replace('  - payments/get_invoice\n', ''),
      'policies/billing.cedar': REFUNDS,
    };
    const fix = titled(fixesOf(files, 'AG001', 'get_invoice'), 'Create a policy');
    expect(fix.edits[0].newText).toContain('@id("any-principal-get_invoice")\npermit (\n  principal,\n');
    applyAndRecheck(files, fix);
  });
});

describe('AG008 / AG011: add a step-up condition to the permit', () => {
  const unconditional = (extra = '') =>
    `@id("read-invoices")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource)${extra};\n\n${REFUNDS}`;

  it('adds a `when` to a permit without one', () => {
    const files = { ...BASE, 'policies/billing.cedar': unconditional() };
    const fix = titled(fixesOf(files, 'AG008'), 'Add a step-up condition');
    expect(fix.title).toBe('Add a step-up condition (approval) to policy "read-invoices"');
    expect(fix.isPreferred).toBe(true);
    const after = applyAndRecheck(files, fix);
    expect(after.files['policies/billing.cedar']).toContain(
      'resource)\nwhen { context has approval && context.approval.granted };',
    );
  });

  it('extends an existing `when` that does not read the context', () => {
    const files = { ...BASE, 'policies/billing.cedar': unconditional('\nwhen { principal.tier <= 2 }') };
    const fix = titled(fixesOf(files, 'AG008'), 'Add a step-up condition');
    const after = applyAndRecheck(files, fix);
    expect(after.files['policies/billing.cedar']).toContain(
      'when { principal.tier <= 2 && context has approval && context.approval.granted };',
    );
  });

  it('keeps an `||` condition whole, in parentheses', () => {
    const files = { ...BASE, 'policies/billing.cedar': unconditional('\nwhen { principal.tier <= 2 || principal.tier == 5 }') };
    const fix = titled(fixesOf(files, 'AG008'), 'Add a step-up condition');
    const after = applyAndRecheck(files, fix);
    expect(after.files['policies/billing.cedar']).toContain(
      'when { (principal.tier <= 2 || principal.tier == 5) && context has approval && context.approval.granted };',
    );
  });

  it('fixes AG011 on the binding by editing the permit that allows the call', () => {
    const files = {
      ...BASE,
      'policies/billing.cedar': `${READ}\n@id("all-refunds")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource);\n`,
    };
    const fix = titled(fixesOf(files, 'AG011'), 'Add a step-up condition');
    expect(rel(fix.finding.file)).toBe('agents/billing.agent.yaml');
    expect(fix.edits.map((e) => rel(e.file))).toEqual(['policies/billing.cedar']);
    const after = applyAndRecheck(files, fix);
    expect(after.rule('AG008')).toEqual([]);
  });

  it('is not offered when the action’s schema declares no approval (the condition would not validate)', () => {
    const schema = SCHEMA.replace(
      '  entity McpServer;\n',
      '  entity McpServer;\n  action "get_invoice" appliesTo { principal: Agent, resource: McpServer, context: { input: { id: String } } };\n',
    );
    const files = { ...BASE, 'schema.cedarschema': schema, 'policies/billing.cedar': unconditional() };
    const fixes = fixesOf(files, 'AG008');
    expect(fixes.map((f) => f.title)).toEqual(['Suppress AG008 with a reason']);
  });
});

describe('AG002: add the tool to a binding', () => {
  const unbound = (binding: string) => ({ ...BASE, 'agents/billing.agent.yaml': binding });

  it('appends to a block list, indented as its items, one fix per binding', () => {
    const files = {
      ...unbound(BINDING.replace('  - payments/get_invoice\n', '')),
      'agents/refunds.agent.yaml':
        'name: refunds\nprincipal: Acme::Agent::"refunds"\ntools:\n    -   payments/create_refund # refunds only\n',
    };
    const fixes = fixesOf(files, 'AG002', 'get_invoice');
    expect(fixes.map((f) => f.title)).toEqual([
      "Add payments/get_invoice to billing's binding",
      "Add payments/get_invoice to refunds's binding",
      'Suppress AG002 with a reason',
    ]);
    const billing = applyAndRecheck(files, fixes[0]);
    expect(billing.files['agents/billing.agent.yaml']).toContain(
      'tools:\n  - payments/create_refund\n  - payments/get_invoice\naudit:',
    );
    const refunds = applyAndRecheck(files, fixes[1]);
    expect(refunds.files['agents/refunds.agent.yaml']).toContain(
      '    -   payments/create_refund # refunds only\n    -   payments/get_invoice\n',
    );
  });

  it('appends to a flow list in its own style', () => {
    const files = unbound(
      BINDING.replace('tools:\n  - payments/create_refund\n  - payments/get_invoice\n', 'tools: [payments/create_refund]\n'),
    );
    const fix = titled(fixesOf(files, 'AG002', 'get_invoice'), 'Add payments/get_invoice');
    const after = applyAndRecheck(files, fix);
    expect(after.files['agents/billing.agent.yaml']).toContain('tools: [payments/create_refund, payments/get_invoice]\n');
  });

  it('fills an empty list and adds a missing `tools:`', () => {
    const empty = unbound(BINDING.replace('tools:\n  - payments/create_refund\n  - payments/get_invoice\n', 'tools: []\n'));
    const after = applyAndRecheck(empty, titled(fixesOf(empty, 'AG002', 'get_invoice'), 'Add'));
    expect(after.files['agents/billing.agent.yaml']).toContain('tools: [payments/get_invoice]\n');
    const bare = unbound(BINDING.replace('tools:\n  - payments/create_refund\n  - payments/get_invoice\n', 'tools:\n'));
    const filled = applyAndRecheck(bare, titled(fixesOf(bare, 'AG002', 'get_invoice'), 'Add'));
    expect(filled.files['agents/billing.agent.yaml']).toContain('tools:\n  - payments/get_invoice\naudit:');
    const missing = unbound(BINDING.replace('tools:\n  - payments/create_refund\n  - payments/get_invoice\n', ''));
    const added = applyAndRecheck(missing, titled(fixesOf(missing, 'AG002', 'get_invoice'), 'Add'));
    expect(added.files['agents/billing.agent.yaml'].endsWith('tools:\n  - payments/get_invoice\n')).toBe(true);
  });

  it('appends to a JSON binding, one item per line as written', () => {
    const json = `{\n  "name": "billing",\n  "principal": "Acme::Agent::\\"billing\\"",\n  "identity": { "type": "workload", "id": "spiffe://acme/billing" },\n  "tools": [\n    "payments/create_refund"\n  ],\n  "audit": { "sink": "otel://c:4317" }\n}\n`;
    const { 'agents/billing.agent.yaml': _, ...rest } = BASE;
    const files = { ...rest, 'agents/billing.agent.json': json };
    const fix = titled(fixesOf(files, 'AG002', 'get_invoice'), 'Add payments/get_invoice');
    const after = applyAndRecheck(files, fix);
    expect(after.files['agents/billing.agent.json']).toContain(
      '"tools": [\n    "payments/create_refund",\n    "payments/get_invoice"\n  ],',
    );
  });
});

describe('AG007: replace the secret with a reference', () => {
  const SECRET = 'sk_live_51HxYzAbCdEfGhIjKlMnOpQr';

  it('in an MCP configuration header, keeping the auth scheme; the title never shows the secret', () => {
    const cfg = `{\n  "servers": {\n    "payments": {\n      "type": "http",\n      "url": "https://pay.example/mcp",\n      "headers": { "Authorization": "Bearer ${SECRET}" }\n    }\n  }\n}\n`;
    const files = { ...BASE, '.vscode/mcp.json': cfg };
    const fixes = fixesOf(files, 'AG007');
    for (const f of fixes) expect(f.title).not.toContain(SECRET.slice(0, 8));
    const fix = titled(fixes, 'Replace the secret');
    expect(fix.title).toBe('Replace the secret with ${env:PAYMENTS_TOKEN}');
    const after = applyAndRecheck(files, fix);
    expect(after.files['.vscode/mcp.json']).toContain('"headers": { "Authorization": "Bearer ${env:PAYMENTS_TOKEN}" }');
  });

  it('in an MCP configuration env, named after the variable, in the client’s syntax', () => {
    const cfg = `{ "mcpServers": { "payments": { "command": "node", "env": { "STRIPE_API_KEY": "${SECRET}" } } } }\n`;
    const files = { ...BASE, '.mcp.json': cfg };
    const fix = titled(fixesOf(files, 'AG007'), 'Replace the secret');
    // Claude Code expands `${NAME}`.
    expect(fix.title).toBe('Replace the secret with ${STRIPE_API_KEY}');
    const after = applyAndRecheck(files, fix);
    expect(after.files['.mcp.json']).toContain('"STRIPE_API_KEY": "${STRIPE_API_KEY}"');
  });

  it('offers no reference where the client expands none (Claude Desktop)', () => {
    const cfg = `{ "mcpServers": { "payments": { "command": "node", "env": { "STRIPE_API_KEY": "${SECRET}" } } } }\n`;
    const fixes = fixesOf({ ...BASE, 'claude_desktop_config.json': cfg }, 'AG007');
    expect(fixes.map((f) => f.title)).toEqual(['Suppress AG007 with a reason']);
  });

  it('in a binding: moves a secret under another key to `secretRef`, or replaces it in place', () => {
    const binding = BINDING.replace('    secretRef: vault://payments/billing\n', `    token: ${SECRET}\n`);
    const files = { ...BASE, 'agents/billing.agent.yaml': binding };
    const fixes = fixesOf(files, 'AG007');
    expect(fixes.map((f) => f.title)).toEqual([
      'Use a secretRef (${env:PAYMENTS_API_TOKEN}) instead of `token`',
      'Replace the secret with ${env:PAYMENTS_API_TOKEN}',
      'Suppress AG007 with a reason',
    ]);
    expect(fixes[0].isPreferred).toBe(true);
    const moved = applyAndRecheck(files, fixes[0]);
    expect(moved.files['agents/billing.agent.yaml']).toContain('    secretRef: "${env:PAYMENTS_API_TOKEN}"\n');
    // The unknown key `token` is gone with it.
    expect(moved.all.filter((f) => f.ruleId === 'agentgov-binding')).toEqual([]);
    const replaced = applyAndRecheck(files, fixes[1]);
    expect(replaced.files['agents/billing.agent.yaml']).toContain('    token: "${env:PAYMENTS_API_TOKEN}"\n');
  });

  it('in a binding’s `secretRef` itself', () => {
    const binding = BINDING.replace('secretRef: vault://payments/billing', `secretRef: ${SECRET}`);
    const files = { ...BASE, 'agents/billing.agent.yaml': binding };
    const fix = titled(fixesOf(files, 'AG007'), 'Replace the secret');
    expect(fix.title).toBe('Replace the secret with ${env:PAYMENTS_API_SECRET}');
    applyAndRecheck(files, fix);
  });
});

describe('suppress with a reason', () => {
  const cases: [string, Files, string, string][] = [
    [
      'a policy (Cedar), above its annotations',
      {
        ...BASE,
        'policies/billing.cedar': `${REFUNDS}\n@id("read-invoices")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource);\n`,
      },
      'AG008',
      `// agentgov-ignore AG008: ${REASON_PLACEHOLDER}\n@id("read-invoices")\npermit`,
    ],
    [
      'a binding entry (YAML), indented as the entry',
      {
        ...BASE,
        'policies/billing.cedar': `${READ}\n@id("all-refunds")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource);\n`,
      },
      'AG011',
      `tools:\n  # agentgov-ignore AG011: ${REASON_PLACEHOLDER}\n  - payments/create_refund\n`,
    ],
    [
      'a tool in a JSON tool list (JSONC)',
      { ...BASE, 'policies/billing.cedar': REFUNDS },
      'AG001',
      `    // agentgov-ignore AG001: ${REASON_PLACEHOLDER}\n    { "name": "get_invoice"`,
    ],
    [
      'a secret in an MCP configuration (JSONC)',
      {
        ...BASE,
        '.vscode/mcp.json': `{\n  "servers": {\n    "p": {\n      "command": "node",\n      "env": { "API_KEY": "sk_live_51HxYzAbCdEfGhIjKlMnOpQr" }\n    }\n  }\n}\n`,
      },
      'AG007',
      `      // agentgov-ignore AG007: ${REASON_PLACEHOLDER}\n      "env"`,
    ],
  ];
  for (const [name, files, ruleId, expected] of cases)
    it(`silences ${ruleId} on ${name}`, () => {
      const fix = titled(fixesOf(files, ruleId), `Suppress ${ruleId}`);
      const after = applyAndRecheck(files, fix);
      const file = rel(fix.edits[0].file);
      expect(after.files[file]).toContain(expected);
      const suppressed = after.all.find((f) => f.ruleId === ruleId && f.suppressed);
      expect(suppressed?.suppressed?.reason).toBe(REASON_PLACEHOLDER);
    });

  it('silences a finding in TypeScript tool code', () => {
    const ts = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nconst server = new McpServer({ name: 'crm', version: '1' });\nexport function setup() {\n  server.registerTool('lookup_customer', { description: 'Look a customer up', annotations: { readOnlyHint: true } }, async () => ({ content: [] }));\n}\n`;
    const files = { ...BASE, 'tools/crm.ts': ts };
    const fix = titled(fixesOf(files, 'AG002', 'lookup_customer'), 'Suppress AG002');
    const after = applyAndRecheck(files, fix);
    expect(after.files['tools/crm.ts']).toContain(`{\n  // agentgov-ignore AG002: ${REASON_PLACEHOLDER}\n  server.registerTool(`);
  });
});

describe('fixesFor at a range', () => {
  it('answers the fixes of the findings touching the range, and nothing elsewhere', () => {
    const c = check({ ...BASE, 'policies/billing.cedar': REFUNDS });
    const [f] = c.rule('AG001');
    const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });
    const titles = fixesFor(c.service, f.file, at(f.range.end.line, f.range.end.character)).map((x) => x.title);
    expect(titles).toContain('Create a policy for get_invoice in policies/billing.cedar');
    expect(titles).toContain('Suppress AG001 with a reason');
    expect(fixesFor(c.service, f.file, at(0, 0))).toEqual([]);
  });

  it('offers nothing for Cedar’s own findings', () => {
    const c = check({
      ...BASE,
      'policies/billing.cedar': `${REFUNDS}\npermit (principal, action, resource) when { context.input.nope };\n`,
    });
    const cedar = c.shown.filter((f) => f.ruleId.startsWith('cedar-'));
    expect(cedar.length).toBeGreaterThan(0);
    for (const f of cedar) expect(fixesFor(c.service, f.file, f)).toEqual([]);
  });
});
