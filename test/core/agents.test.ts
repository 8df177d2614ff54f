import type { Finding } from '../../server/src/core/findings/finding';
import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../server/src/core/agents/inventory';
import { cedarGateway } from '../../server/src/core/cedar/gateway';
import { completion } from '../../server/src/core/language/completion';
import { declaration, definition } from '../../server/src/core/language/definition';
import { hover } from '../../server/src/core/language/hover';
import { caret, posOf, workspace } from './helpers';

const SCHEMA = `namespace Acme {
  entity Agent;
  entity McpServer;
  action "send_email" appliesTo { principal: Agent, resource: McpServer, context: { input: { to: String } } };
}
`;

const MCP_TOOLS = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const server = new McpServer({ name: 'payments', version: '1.0.0' });

server.registerTool(
  'create_refund',
  {
    description: 'Refund an invoice',
    inputSchema: { invoiceId: z.string(), amount: z.number().int(), note: z.string().optional() },
  },
  async () => ({ content: [] }),
);

server.registerTool('send_email', { description: 'Send an email', inputSchema: { to: z.string(), subject: z.string() } }, async () => ({ content: [] }));
`;

/**
 * A file's findings without the governance rules this file does not test (they have their own
 * tests in test/core/governance): AG003, which it does test, stays.
 */
const own = (findings: Finding[]) => findings.filter((f) => !/^AG/.test(f.ruleId) || f.ruleId === 'AG003');

const BINDING = `name: billing
principal: Acme::Agent::"billing"
identity:
  type: workload
  id: spiffe://acme/billing
tools:
  - payments/create_refund
  - payments/create_refnud
`;

function ws(extra: Record<string, string> = {}) {
  return workspace({
    'schema.cedarschema': SCHEMA,
    'tools/server.ts': MCP_TOOLS,
    'agents/billing.agent.yaml': BINDING,
    ...extra,
  });
}

/** A workspace with the policy at `p.cedar` and the cursor at its `‸`. */
function at(policy: string) {
  const { text, pos } = caret(policy);
  const w = ws({ 'p.cedar': text });
  return { ...w, pos, file: w.path('p.cedar') };
}

describe('tools in the Cedar schema', () => {
  it('types context.input of a tool the schema does not declare from its input schema', () => {
    const ok =
      'permit(principal, action == Action::"create_refund", resource) when { context.input.amount < 500 && context.input.invoiceId == "x" };';
    const { service, path } = ws({ 'p.cedar': ok });
    expect(own(service.findings(path('p.cedar')))).toEqual([]);
  });

  it('reports a misspelled input field with a suggestion from the tool', () => {
    const bad = 'permit(principal, action == Action::"create_refund", resource) when { context.input.ammount < 500 };';
    const { service, path } = ws({ 'p.cedar': bad });
    const [f] = own(service.findings(path('p.cedar')));
    expect(f.ruleId).toBe('cedar-validation');
    expect(f.help).toContain('amount');
    expect(f.range.start).toEqual(posOf(bad, 'context.input.ammount'));
  });

  it('knows optional inputs are optional and declares context.approval', () => {
    const bad = 'permit(principal, action == Action::"create_refund", resource) when { context.input.note == "x" };';
    const { service, path } = ws({ 'p.cedar': bad });
    expect(own(service.findings(path('p.cedar')))[0].message).toMatch(/optional|not guaranteed|may not/i);
    const ok =
      'permit(principal, action == Action::"create_refund", resource) when { context has approval && context.approval.granted };';
    const w2 = ws({ 'p.cedar': ok });
    expect(own(w2.service.findings(w2.path('p.cedar')))).toEqual([]);
  });

  it("lets a workspace declaration win over the derived action (no duplicate, the schema's context)", () => {
    const p = 'permit(principal, action == Acme::Action::"send_email", resource) when { context.input.subject == "x" };';
    const { service, path } = ws({ 'p.cedar': p });
    const [f] = own(service.findings(path('p.cedar')));
    expect(f.message).toContain('subject');
    expect(own(service.findings(path('schema.cedarschema')))).toEqual([]);
    expect(service.schemaFor(path('p.cedar'))!.actions.has('Action::"send_email"')).toBe(false);
  });

  it("uses the bindings' principal type and the workspace's resource type for derived actions", () => {
    const { service, path } = ws({ 'p.cedar': '' });
    const a = service.schemaFor(path('p.cedar'))!.actions.get('Action::"create_refund"')!;
    expect(a.principalTypes).toEqual(['Acme::Agent']);
    expect(a.resourceTypes).toEqual(['Acme::McpServer']);
  });

  it("re-validates policies when a tool's inputs change, but not for an edit that changes no tool", () => {
    const p = 'permit(principal, action == Action::"create_refund", resource) when { context.input.amount < 5 };';
    const { service, path } = ws({ 'p.cedar': p });
    expect(own(service.findings(path('p.cedar')))).toEqual([]);
    const renamed = MCP_TOOLS.replace('amount: z.number().int()', 'amountCents: z.number().int()');
    expect(service.openDocument(path('tools/server.ts'), renamed)).toContain(path('p.cedar'));
    expect(own(service.findings(path('p.cedar')))[0].help).toContain('amountCents');
    // An edit that changes no tool: p.cedar may be re-read, but nothing reaches Cedar again.
    const before = cedarGateway.callStats().validate?.calls ?? 0;
    service.changeDocument(path('tools/server.ts'), `${renamed}\n// a comment\n`);
    expect(own(service.findings(path('p.cedar')))[0].help).toContain('amountCents');
    expect(cedarGateway.callStats().validate?.calls ?? 0).toBe(before);
  });
});

describe('what an edit of one tool file rebuilds', () => {
  const OTHER = MCP_TOOLS.replace("name: 'payments'", "name: 'mail'")
    .replace("'create_refund'", "'archive_mail'")
    .replace("'send_email'", "'forward_mail'");

  it("keeps the other files' tools, and their derived declarations, as the same objects", () => {
    const { service, path } = ws({ 'tools/other.ts': OTHER, 'p.cedar': 'permit(principal, action, resource);' });
    service.findings(path('p.cedar'));
    const before = new Map(service.tools().map((t) => [t.name, t]));
    const derivedBefore = service.schemaFor(path('p.cedar'))!.json[''].actions;
    service.changeDocument(
      path('tools/server.ts'),
      MCP_TOOLS.replace('subject: z.string()', 'subject: z.string(), cc: z.string()'),
    );
    service.findings(path('p.cedar'));
    const after = new Map(service.tools().map((t) => [t.name, t]));
    // The edited file's tools are new; the other file's are kept (what is derived from them by object is not made again).
    expect(after.get('send_email')).not.toBe(before.get('send_email'));
    expect(after.get('archive_mail')).toBe(before.get('archive_mail'));
    expect(after.get('forward_mail')).toBe(before.get('forward_mail'));
    const derivedAfter = service.schemaFor(path('p.cedar'))!.json[''].actions;
    expect(derivedAfter.archive_mail).toBe(derivedBefore.archive_mail);
    expect(derivedAfter.create_refund).not.toBe(undefined);
  });

  it("changes the derived fragment's keys for a new input, not for a description", () => {
    const p = 'permit(principal, action == Action::"create_refund", resource) when { context.input.reason == "x" };';
    const { service, path } = ws({ 'p.cedar': p });
    expect(own(service.findings(path('p.cedar'))).length).toBeGreaterThan(0);
    // A description edit leaves the derived schema as it was: nothing is validated again.
    const calls = () => cedarGateway.callStats().validate?.calls ?? 0;
    const before = calls();
    service.changeDocument(path('tools/server.ts'), MCP_TOOLS.replace('Refund an invoice', 'Refund an invoice, once'));
    expect(own(service.findings(path('p.cedar'))).length).toBeGreaterThan(0);
    expect(calls()).toBe(before);
    // A new input is a new fragment: the policy is validated again, and its error goes.
    service.changeDocument(
      path('tools/server.ts'),
      MCP_TOOLS.replace('invoiceId: z.string()', 'invoiceId: z.string(), reason: z.string()'),
    );
    expect(own(service.findings(path('p.cedar')))).toEqual([]);
    expect(calls()).toBeGreaterThan(before);
  });
});

describe('editor features on tool actions', () => {
  it('hover on an action shows its tool: description, inputs, risk, agents and where it is defined', () => {
    const { service, file, pos } = at('permit(principal, action == Action::"create_re‸fund", resource);');
    const md = hover(service, file, pos)!.markdown;
    expect(md).toContain('**Tool** `payments/create_refund` — Refund an invoice');
    expect(md).toContain('Risk: **high**');
    expect(md).toMatch(/\| `amount` \| integer \| required/);
    expect(md).toMatch(/\| `note` \| string \| optional/);
    expect(md).toContain('Agents bound to it: `billing`');
    expect(md).toContain('Defined in tools/server.ts:7 (MCP TypeScript SDK (registerTool))');
  });

  it("go to definition jumps to the tool's code; go to declaration to the schema", () => {
    const a = at('permit(principal, action == Action::"create_re‸fund", resource);');
    const [loc] = definition(a.service, a.file, a.pos);
    expect(loc.file).toBe(a.path('tools/server.ts'));
    expect(loc.range.start).toEqual(posOf(MCP_TOOLS, "'create_refund'"));
    const b = at('permit(principal, action == Acme::Action::"send_‸email", resource);');
    expect(definition(b.service, b.file, b.pos).map((l) => l.file)).toEqual([b.path('tools/server.ts')]);
    const [decl] = declaration(b.service, b.file, b.pos);
    expect(decl.file).toBe(b.path('schema.cedarschema'));
    expect(decl.range.start).toEqual(posOf(SCHEMA, '"send_email"'));
  });

  it("completion after context.input. offers the tool's fields", () => {
    const { service, file, pos } = at('permit(principal, action == Action::"create_refund", resource) when { context.input.‸ };');
    expect(
      completion(service, file, pos)
        .map((c) => c.label)
        .sort(),
    ).toEqual(['amount', 'invoiceId', 'note']);
  });
});

describe('bindings', () => {
  it('AG003: a listed tool that exists nowhere, on its exact range, with a suggestion', () => {
    const { service, path } = ws();
    const findings = own(service.findings(path('agents/billing.agent.yaml')));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ ruleId: 'AG003', severity: 'warning', agent: 'billing', tool: 'create_refnud' });
    expect(f.range.start).toEqual(posOf(BINDING, 'payments/create_refnud'));
    expect(f.help).toContain('create_refund');
    expect(f.frameworks?.length).toBeGreaterThan(0);
  });

  it('AG003 goes away when the tool appears', () => {
    const { service, path } = ws();
    expect(own(service.checkAll().get(path('agents/billing.agent.yaml')) ?? [])).toHaveLength(1);
    const affected = service.openDocument(path('tools/server.ts'), MCP_TOOLS.replace("'send_email'", "'create_refnud'"));
    expect(affected).toContain(path('agents/billing.agent.yaml'));
    expect(own(service.findings(path('agents/billing.agent.yaml')))).toEqual([]);
  });

  it('reports broken YAML in a binding exactly and keeps serving the rest', () => {
    const { service, path } = ws({ 'agents/broken.agent.yaml': 'name: x\ntools: [a, b\n' });
    const [f] = own(service.findings(path('agents/broken.agent.yaml')));
    expect(f).toMatchObject({ ruleId: 'agentgov-binding', severity: 'error' });
    expect(own(service.findings(path('agents/billing.agent.yaml')))).toHaveLength(1);
  });

  it('builds the inventory: tools with servers, risk and inputs; agents with their tools', () => {
    const { service } = ws();
    const inv = buildInventory(service.agents);
    expect(inv.tools.map((t) => `${t.server}/${t.name}:${t.risk}`)).toEqual([
      'payments/create_refund:high',
      'payments/send_email:high',
    ]);
    expect(inv.tools[0].agents).toEqual(['billing']);
    expect(inv.agents[0]).toMatchObject({
      name: 'billing',
      principal: 'Acme::Agent::"billing"',
      tools: ['payments/create_refund', 'payments/create_refnud'],
      unknownTools: ['payments/create_refnud'],
    });
  });

  it('a TypeScript file without tools is not reported on; one with a syntax error is', () => {
    const { service, path } = ws({ 'src/util.ts': 'export const x = 1;\n', 'src/broken.ts': `${MCP_TOOLS}\nfunction (` });
    expect(service.checkedFiles()).not.toContain(path('src/util.ts'));
    expect(own(service.findings(path('src/broken.ts'))).some((f) => f.ruleId === 'agentgov-tools')).toBe(true);
  });
});

describe('completion in bindings', () => {
  function at(yaml: string) {
    const { text, pos } = caret(yaml);
    const w = ws({ 'agents/new.agent.yaml': text });
    return completion(w.service, w.path('agents/new.agent.yaml'), pos);
  }

  it("offers the workspace's tools under tools:, as server/tool", () => {
    const items = at('name: x\ntools:\n  - pay‸\n');
    expect(items.map((i) => i.label).sort()).toEqual(['payments/create_refund', 'payments/send_email']);
    expect(items[0].range.start).toEqual({ line: 2, character: 4 });
    expect(items[0].detail).toContain('high risk');
  });

  it("offers tools for a sequence written at its key's indentation too", () => {
    expect(at('name: x\ntools:\n- ‸\n').map((i) => i.label)).toContain('payments/create_refund');
  });

  it('offers the keys of each level and the enumerated values', () => {
    expect(at('name: x\n‸').map((i) => i.label)).toEqual(
      expect.arrayContaining(['principal', 'identity', 'credentials', 'tools', 'audit']),
    );
    expect(at('identity:\n  ‸').map((i) => i.label)).toEqual(['type', 'id']);
    expect(at('identity:\n  type: ‸').map((i) => i.label)).toEqual(['workload', 'human', 'service-account']);
    expect(at('credentials:\n  - name: a\n    type: ‸').map((i) => i.label)).toContain('jit-token');
    expect(at('credentials:\n  - name: a\n    ‸').map((i) => i.label)).toEqual([
      'name',
      'type',
      'ttl',
      'revokeOnTaskEnd',
      'secretRef',
    ]);
  });

  it("offers principals of the schema's entity types named after the agent", () => {
    expect(at('name: billing\nprincipal: ‸').map((i) => i.label)).toContain('Acme::Agent::"billing"');
  });
});

describe('reading TypeScript files', () => {
  it('keeps no text of an unopened TypeScript file that imports no agent SDK, and reads it again when opened', () => {
    const { service, path } = ws({ 'src/util.ts': 'export const secret = "not kept";\n' });
    expect(service.file(path('src/util.ts'))!.text).toBe('');
    service.openDocument(path('src/util.ts'), `${MCP_TOOLS.replace(/'create_refund'/, "'opened_tool'")}`);
    expect(service.agents.tools().map((t) => t.name)).toContain('opened_tool');
  });
});

describe('agent principals in policies', () => {
  it('hover on an agent principal shows its identity binding', () => {
    const { service, file, pos } = at('permit(principal == Acme::Agent::"bil‸ling", action, resource);');
    const md = hover(service, file, pos)!.markdown;
    expect(md).toContain('**Agent** `billing`');
    expect(md).toContain('Identity: workload `spiffe://acme/billing`');
    expect(md).toContain('Tools: `payments/create_refund`, `payments/create_refnud`');
    expect(md).toContain('Audit: **none**');
    expect(md).toContain('Bound in agents/billing.agent.yaml:1');
  });

  it('definition on the id opens the binding; on the type, the type; declaration is always the type', () => {
    const a = at('permit(principal == Acme::Agent::"bil‸ling", action, resource);');
    expect(definition(a.service, a.file, a.pos)[0]).toMatchObject({
      file: a.path('agents/billing.agent.yaml'),
      range: { start: { line: 0, character: 6 } },
    });
    expect(declaration(a.service, a.file, a.pos)[0].file).toBe(a.path('schema.cedarschema'));
    const b = at('permit(principal == Acme::Ag‸ent::"billing", action, resource);');
    expect(definition(b.service, b.file, b.pos)[0].file).toBe(b.path('schema.cedarschema'));
  });
});

describe('what the workspace reads', () => {
  it('never reads lock files or other JSON that cannot hold tools, and keeps no text of JSON without tools', () => {
    const { service, path } = ws({
      'package-lock.json': '{"lockfileVersion": 3}',
      'tsconfig.json': '{}',
      'data/users.json': '[{"name": "a"}]',
      'tools/package.json': '{"name": "payments"}',
    });
    expect(service.file(path('package-lock.json'))).toBeUndefined();
    expect(service.file(path('tsconfig.json'))).toBeUndefined();
    expect(service.file(path('data/users.json'))!.text).toBe('');
    expect(service.file(path('tools/package.json'))!.text).toContain('payments');
  });
});

describe('disk events for unwanted files', () => {
  it('ignores a changed lock file', () => {
    const { service, path, fs } = ws();
    fs.files[path('package-lock.json')] = '{}';
    expect(service.diskChanged(path('package-lock.json'))).toEqual([]);
    expect(service.file(path('package-lock.json'))).toBeUndefined();
  });
});

describe('schema models are reused', () => {
  it('an edit inside a tool handler keeps the same schema model; an input change builds a new one', () => {
    const { service, path } = ws({ 'p.cedar': '' });
    const first = service.schemaFor(path('p.cedar'));
    expect(service.schemaFor(path('p.cedar'))).toBe(first);
    service.openDocument(path('tools/server.ts'), `${MCP_TOOLS}\n// an edit that changes no tool\n`);
    expect(service.schemaFor(path('p.cedar'))).toBe(first);
    service.openDocument(
      path('tools/server.ts'),
      MCP_TOOLS.replace('note: z.string().optional()', 'memo: z.string().optional()'),
    );
    expect(service.schemaFor(path('p.cedar'))).not.toBe(first);
  });
});

describe('editor features while a check is pending (with Cedar workers)', () => {
  it('read the tools and schema last computed, never discovering tools on the editor thread; the findings read the new ones', async () => {
    const { GovernanceService } = await import('../../server/src/core/service');
    const { memoryFileSystem } = await import('../../server/src/core/workspace/fileSystem');
    const files = { '/ws/schema.cedarschema': SCHEMA, '/ws/tools/server.ts': MCP_TOOLS, '/ws/p.cedar': '' };
    // A pool is only named here: nothing below asks it anything.
    const pool = {} as ConstructorParameters<typeof GovernanceService>[0]['pool'];
    const service = new GovernanceService({ fs: memoryFileSystem(files), roots: ['/ws'], pool });
    service.scan();
    expect(service.agents.tools().map((t) => t.name)).toEqual(['create_refund', 'send_email']);
    const schema = service.schemaFor('/ws/p.cedar');
    expect(schema).toBeDefined();

    service.openDocument('/ws/tools/server.ts', MCP_TOOLS.replace("'send_email'", "'send_sms'"));
    // The editor's view: what was last computed, at once.
    expect(service.agents.tools().map((t) => t.name)).toEqual(['create_refund', 'send_email']);
    expect(service.inventory().tools.map((t) => t.name)).toEqual(['create_refund', 'send_email']);
    expect(service.schemaFor('/ws/p.cedar')).toBe(schema);
    // The check (here: the findings' own index) sees the edit; then editors see it too.
    expect(service.tools().map((t) => t.name)).toEqual(['create_refund', 'send_sms']);
    expect(service.agents.tools().map((t) => t.name)).toEqual(['create_refund', 'send_sms']);
  });

  it('without workers, editor features read the current state', () => {
    const { service, path } = ws();
    service.agents.tools();
    service.openDocument(path('tools/server.ts'), MCP_TOOLS.replace("'send_email'", "'send_sms'"));
    expect(service.agents.tools().map((t) => t.name)).toContain('send_sms');
  });
});
