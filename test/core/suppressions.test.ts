import { describe, expect, it } from 'vitest';
import type { Finding } from '../../server/src/core/findings/finding';
import {
  applySuppressions,
  commentSyntaxOf,
  parseSuppressions,
  SUPPRESSION_RULE,
} from '../../server/src/core/findings/suppressions';
import { findingsHover } from '../../server/src/core/language/findingHover';
import type { CommentSyntax } from '../../server/src/core/text/comments';
import { posOf, workspace } from './helpers';

/*
 * `agentgov-ignore <rule ids>: <reason>` comments (issue 9): read by each syntax's own tokenizer,
 * covering their line or the next code line, and applied to a file's findings as its last step.
 */

/** The suppressions of a text, as what a reader checks: ids, reason, covered lines. */
function parsed(text: string, syntax: CommentSyntax) {
  return parseSuppressions(text, syntax).map((s) => ({
    ids: s.ids.map((x) => x.id),
    reason: s.reason,
    lines: [s.fromLine, s.toLine],
  }));
}

describe('reading suppression comments', () => {
  it('knows the comment syntax of every file kind that allows comments', () => {
    expect(commentSyntaxOf('/ws/p/a.cedar')).toBe('cedar');
    expect(commentSyntaxOf('/ws/schema.cedarschema')).toBe('cedar');
    expect(commentSyntaxOf('/ws/tools/a.ts')).toBe('typescript');
    expect(commentSyntaxOf('/ws/tools/a.tools.json')).toBe('jsonc');
    expect(commentSyntaxOf('/ws/.vscode/mcp.json')).toBe('jsonc');
    expect(commentSyntaxOf('/ws/agents/a.agent.json')).toBe('jsonc');
    expect(commentSyntaxOf('/ws/agents/a.agent.yaml')).toBe('yaml');
    expect(commentSyntaxOf('/ws/agents/a.agent.yml')).toBe('yaml');
    // Strict JSON: Cedar reads these, and Cedar allows no comments in them.
    expect(commentSyntaxOf('/ws/schema.cedarschema.json')).toBeUndefined();
    expect(commentSyntaxOf('/ws/x.cedarentities.json')).toBeUndefined();
  });

  it('Cedar: a comment, not a `//` inside a string', () => {
    const text = [
      '@advice("// agentgov-ignore AG008: inside a string")',
      'permit (principal, action, resource);',
      '// agentgov-ignore AG008: read-only lookup',
      'permit (principal, action, resource);',
    ].join('\n');
    expect(parsed(text, 'cedar')).toEqual([{ ids: ['AG008'], reason: 'read-only lookup', lines: [2, 3] }]);
  });

  it('JSONC: a line comment, not a JSON string, not a block comment', () => {
    const text = [
      '{ "tools": [',
      '  { "name": "a", "description": "// agentgov-ignore AG001: in a string" },',
      '  /* agentgov-ignore AG001: block comments are not read */',
      '  // agentgov-ignore AG001: internal tool',
      '  { "name": "b" }',
      '] }',
    ].join('\n');
    expect(parsed(text, 'jsonc')).toEqual([{ ids: ['AG001'], reason: 'internal tool', lines: [3, 4] }]);
  });

  it('YAML: a `#` comment, not a `#` inside a quoted or block scalar', () => {
    const text = [
      'name: "x # agentgov-ignore AG012: double-quoted"',
      "description: 'y # agentgov-ignore AG012: single-quoted'",
      'notes: |',
      '  # agentgov-ignore AG012: block scalar text',
      'principal: a#b',
      '# agentgov-ignore AG012: logged by the gateway',
      'tools: []',
      'environment: dev # agentgov-ignore AG004: trailing',
    ].join('\n');
    expect(parsed(text, 'yaml')).toEqual([
      { ids: ['AG012'], reason: 'logged by the gateway', lines: [5, 6] },
      { ids: ['AG004'], reason: 'trailing', lines: [7, 7] },
    ]);
  });

  it('TypeScript: a line comment, not one inside a string, a template literal or a regular expression', () => {
    const text = [
      "const a = '// agentgov-ignore AG001: single';",
      'const b = "// agentgov-ignore AG001: double";',
      "const c = `x ${'}'} // agentgov-ignore AG001: template ${`${1}`}`;",
      'const d = /[// agentgov-ignore AG001: regex class]/.test(a) ? 1 : 2;',
      'const e = a.length / 2; // agentgov-ignore AG007: after a division',
      'const f = /"/.test(b); // agentgov-ignore AG013: after a regex holding a quote',
      '// agentgov-ignore AG001: internal tool',
      'export const t = 1;',
    ].join('\n');
    expect(parsed(text, 'typescript')).toEqual([
      { ids: ['AG007'], reason: 'after a division', lines: [4, 4] },
      { ids: ['AG013'], reason: 'after a regex holding a quote', lines: [5, 5] },
      { ids: ['AG001'], reason: 'internal tool', lines: [6, 7] },
    ]);
  });

  it('covers the next line that is neither blank nor a comment; in Cedar, past the annotations', () => {
    const text = [
      '// agentgov-ignore AG008: reason',
      '',
      '// another comment',
      '@id("p")',
      '@advice("x")',
      'permit (principal, action, resource);',
    ].join('\n');
    expect(parsed(text, 'cedar')[0].lines).toEqual([0, 5]);
    // YAML has no annotations: the next code line is all.
    expect(parsed('# agentgov-ignore AG012: r\n\n# c\nname: x\n', 'yaml')[0].lines).toEqual([0, 3]);
  });

  it('reads several ids, and a suppression without a reason or without ids', () => {
    expect(parsed('// agentgov-ignore AG008, AG011: both\nx', 'typescript')[0]).toMatchObject({
      ids: ['AG008', 'AG011'],
      reason: 'both',
    });
    expect(parsed('//agentgov-ignore cedar-warning\nx', 'typescript')[0]).toMatchObject({ ids: ['cedar-warning'], reason: '' });
    expect(parsed('// agentgov-ignore: why\nx', 'typescript')[0]).toMatchObject({ ids: [], reason: 'why' });
    // Only at the comment's start, and only the whole word.
    expect(parsed('// see agentgov-ignore AG001: x\n// agentgov-ignored AG001: y\nx', 'typescript')).toEqual([]);
  });

  it('stays linear on a file of nothing but suppression comments (each would scan to the end)', () => {
    const many = '// agentgov-ignore AG001: x\n'.repeat(40_000);
    const started = performance.now();
    const alone = parseSuppressions(many, 'typescript');
    const above = parseSuppressions(`${many}export const t = 1;\n`, 'typescript');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(alone).toHaveLength(40_000);
    expect(alone.every((s) => s.toLine === s.fromLine)).toBe(true);
    expect(above.every((s) => s.toLine === 40_000)).toBe(true);
  });

  it('never throws on broken text of any syntax', () => {
    const broken = [
      '"unterminated // agentgov-ignore AG1: x',
      '`${`${',
      '/[/ // agentgov-ignore AG1: x',
      '{ "a": [ // agentgov-ignore AG1: x',
    ];
    for (const syntax of ['cedar', 'typescript', 'jsonc', 'yaml'] as const)
      for (const text of broken) expect(() => parseSuppressions(text, syntax)).not.toThrow();
  });
});

describe('applying suppressions', () => {
  const finding = (ruleId: string, line: number): Finding => ({
    ruleId,
    severity: 'warning',
    message: `${ruleId} here`,
    file: '/ws/a.cedar',
    range: { start: { line, character: 0 }, end: { line, character: 6 } },
  });
  const apply = (text: string, findings: Finding[]) =>
    applySuppressions('/ws/a.cedar', findings, parseSuppressions(text, 'cedar'));
  const problems = (out: Finding[]) => out.filter((f) => f.ruleId === SUPPRESSION_RULE);

  it('marks a covered finding with the reason, and only findings of the named rules on the covered lines', () => {
    const text =
      '// agentgov-ignore AG008: read-only\npermit (principal, action, resource);\npermit (principal, action, resource);';
    const out = apply(text, [finding('AG008', 1), finding('AG009', 1), finding('AG008', 2)]);
    expect(out.map((f) => f.suppressed)).toEqual([{ reason: 'read-only' }, undefined, undefined]);
    expect(problems(out)).toEqual([]);
  });

  it('a trailing comment covers its own line only', () => {
    const text = 'permit (principal, action, resource); // agentgov-ignore AG008: r\npermit (principal, action, resource);';
    const out = apply(text, [finding('AG008', 0), finding('AG008', 1)]);
    expect(out.map((f) => !!f.suppressed)).toEqual([true, false]);
  });

  it('several ids suppress each; rule ids compare without case', () => {
    const text = '// agentgov-ignore ag008, AG009: both are fine here\npermit (principal, action, resource);';
    const out = apply(text, [finding('AG008', 1), finding('AG009', 1)]);
    expect(out.every((f) => f.suppressed?.reason === 'both are fine here')).toBe(true);
    expect(problems(out)).toEqual([]);
  });

  it('without a reason: still suppresses, and says once that a reason is needed', () => {
    const text = '// agentgov-ignore AG008\npermit (principal, action, resource);';
    const out = apply(text, [finding('AG008', 1)]);
    expect(out[0].suppressed).toEqual({ reason: '' });
    const [p] = problems(out);
    expect(problems(out)).toHaveLength(1);
    expect(p).toMatchObject({ severity: 'warning', message: expect.stringContaining('needs a reason after the colon') });
    expect(p.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: '// agentgov-ignore AG008'.length } });
  });

  it('an id that suppresses nothing is a warning on that id, marked unnecessary', () => {
    const text = '// agentgov-ignore AG008, AG010: r\npermit (principal, action, resource);';
    const out = apply(text, [finding('AG008', 1)]);
    const [p] = problems(out);
    expect(problems(out)).toHaveLength(1);
    expect(p).toMatchObject({ unnecessary: true, message: expect.stringContaining('suppresses nothing') });
    expect(p.message).toContain('AG010');
    expect(p.range.start).toEqual(posOf(text, 'AG010'));
  });

  it('the hover on a finding leaves a suppressed one out', () => {
    const text = '// agentgov-ignore AG008: r\npermit (principal, action, resource);';
    const [suppressed] = apply(text, [finding('AG008', 1)]);
    const pos = { line: 1, character: 2 };
    expect(findingsHover([suppressed], pos)).toBeUndefined();
    expect(findingsHover([finding('AG008', 1)], pos)?.markdown).toContain('AG008');
  });

  it('a suppression that names no rule is a warning; one of an unknown rule suppresses nothing', () => {
    const text = '// agentgov-ignore: r\n// agentgov-ignore AG999: r\npermit (principal, action, resource);';
    const out = apply(text, [finding('AG008', 2)]);
    expect(out[0].suppressed).toBeUndefined();
    expect(problems(out).map((p) => p.message)).toEqual([
      'This suppression names no rule.',
      '`agentgov-ignore AG999` suppresses nothing: no AG999 finding starts on line 3.',
    ]);
  });
});

// ---- through the real service: a real AG finding suppressed in each file kind ----

const SCHEMA = `namespace Acme {
  entity Team;
  entity Agent in [Team];
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

const POLICIES = `@id("read-invoices")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource)
when { context.input.id != "" };

@id("small-refunds")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource)
when { context.input.amount <= 500 };
`;

function check(files: Record<string, string>) {
  const w = workspace(
    {
      'schema.cedarschema': SCHEMA,
      'tools/payments.tools.json': TOOLS,
      'agents/billing.agent.yaml': BINDING,
      'policies/billing.cedar': POLICIES,
      ...files,
    },
    { actionNamespace: 'Acme' },
  );
  const all = [...w.service.checkAll().values()].flat();
  return {
    all,
    path: w.path,
    rule: (id: string) => all.filter((f) => f.ruleId === id),
    problems: all.filter((f) => f.ruleId === SUPPRESSION_RULE),
  };
}

describe('suppressions through the GovernanceService', () => {
  it('the workspace has no finding to suppress to begin with', () => {
    expect(check({}).all.filter((f) => /^AG|agentgov/.test(f.ruleId))).toEqual([]);
  });

  it('Cedar: AG008 on a permit, by a comment above its @id', () => {
    const p = `// agentgov-ignore AG008: any invoice id is fine to read\n@id("read-invoices")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource);\n\n${POLICIES.split('\n\n')[1]}`;
    const { rule, problems, path } = check({ 'policies/billing.cedar': p });
    const [f] = rule('AG008');
    expect(f).toMatchObject({ file: path('policies/billing.cedar'), suppressed: { reason: 'any invoice id is fine to read' } });
    expect(problems).toEqual([]);
  });

  it('YAML: AG012 on a binding, by a comment above `name`', () => {
    const b = `# agentgov-ignore AG012: calls are logged by the MCP gateway\n${BINDING.replace(/audit:\n.*\n/, '')}`;
    const { rule, problems } = check({ 'agents/billing.agent.yaml': b });
    expect(rule('AG012')).toHaveLength(1);
    expect(rule('AG012')[0].suppressed).toEqual({ reason: 'calls are logged by the MCP gateway' });
    expect(problems).toEqual([]);
  });

  it('JSON binding (JSONC): AG012 by a `//` comment', () => {
    const b = `{\n  // agentgov-ignore AG012: logged by the gateway\n  "name": "billing", "principal": "Acme::Agent::\\"billing\\"",\n  "identity": { "type": "workload", "id": "spiffe://acme/billing" },\n  "tools": ["payments/create_refund", "payments/get_invoice"]\n}\n`;
    const { rule, problems, all } = check({ 'agents/billing.agent.yaml': '', 'agents/billing.agent.json': b });
    expect(all.filter((f) => f.file.endsWith('.agent.json') && f.severity === 'error')).toEqual([]);
    expect(rule('AG012').map((f) => f.suppressed?.reason)).toEqual(['logged by the gateway']);
    expect(problems).toEqual([]);
  });

  it('JSONC tool list: AG001 on a tool no policy names, by a trailing comment', () => {
    const tools = TOOLS.replace(
      '{ "name": "get_invoice",',
      '{ "name": "get_invoice", // agentgov-ignore AG001: governed upstream by the ERP\n     ',
    );
    const { rule, problems } = check({ 'tools/payments.tools.json': tools, 'policies/billing.cedar': POLICIES.split('\n\n')[1] });
    expect(rule('AG001').map((f) => [f.tool, f.suppressed?.reason])).toEqual([['get_invoice', 'governed upstream by the ERP']]);
    expect(problems).toEqual([]);
  });

  it('TypeScript: AG001 and AG002 on a tool, by one comment naming both', () => {
    const ts = `import { tool } from 'ai';\nimport { z } from 'zod';\nexport const tools = {\n  // agentgov-ignore AG001, AG002: local debugging tool, never deployed\n  debug_echo: tool({ description: 'Echo the input', inputSchema: z.object({ text: z.string() }), execute: async () => 1 }),\n};\n`;
    const { all, problems, path } = check({ 'tools/agent.ts': ts });
    const mine = all.filter((f) => f.file === path('tools/agent.ts') && /^AG/.test(f.ruleId));
    expect(mine.map((f) => f.ruleId).sort()).toEqual(['AG001', 'AG002']);
    expect(mine.every((f) => f.suppressed?.reason === 'local debugging tool, never deployed')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('a suppression without a reason suppresses with one warning; a stale one is a warning', () => {
    const p = `// agentgov-ignore AG008\n@id("read-invoices")\npermit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource);\n\n// agentgov-ignore AG009: stale\n${POLICIES.split('\n\n')[1]}`;
    const { rule, problems, path } = check({ 'policies/billing.cedar': p });
    expect(rule('AG008')[0].suppressed).toEqual({ reason: '' });
    expect(problems.map((f) => [f.file, f.range.start.line, f.unnecessary ?? false, f.message])).toEqual([
      [path('policies/billing.cedar'), 0, false, 'This suppression of AG008 needs a reason after the colon.'],
      [path('policies/billing.cedar'), 4, true, '`agentgov-ignore AG009` suppresses nothing: no AG009 finding starts on line 7.'],
    ]);
  });

  it('a new finding under an old comment is suppressed as the file changes (no stale cache)', () => {
    const w = workspace(
      {
        'schema.cedarschema': SCHEMA,
        'tools/payments.tools.json': TOOLS,
        'agents/billing.agent.yaml': `# agentgov-ignore AG012: logged by the gateway\n${BINDING}`,
        'policies/billing.cedar': POLICIES,
      },
      { actionNamespace: 'Acme' },
    );
    const file = w.path('agents/billing.agent.yaml');
    expect(
      w.service
        .checkAll()
        .get(file)!
        .map((f) => f.ruleId),
    ).toEqual([SUPPRESSION_RULE]);
    w.service.openDocument(file, `# agentgov-ignore AG012: logged by the gateway\n${BINDING.replace(/audit:\n.*\n/, '')}`);
    const after = w.service.checkAll().get(file)!;
    expect(after.map((f) => [f.ruleId, !!f.suppressed])).toEqual([['AG012', true]]);
  });
});
