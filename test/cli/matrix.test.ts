import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../server/src/cli/main';

const EXAMPLES = join(__dirname, '../../examples');

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, (s) => (out += s));
  return { code, out };
}

/*
 * Names a reviewer's page must show as text: markup, quotes, pipes, backticks, a terminal escape.
 * Tool names, the agent's name and principal, its identity and audit sink, a policy's literal.
 */
const EVIL_TOOL = '<img src=x onerror=alert(1)>|x';
const PIPE_TOOL = 'pipe|tool`tick\u001b[31m';
const EVIL_AGENT = "<script>alert('a|b')</script>";
let hostile = '';

beforeAll(() => {
  hostile = mkdtempSync(join(tmpdir(), 'agentgov-matrix-'));
  const files: Record<string, string> = {
    'tools/evil.tools.json': JSON.stringify({
      server: 'ev"il',
      tools: [
        { name: EVIL_TOOL, inputSchema: { type: 'object', properties: { x: { type: 'string' } } } },
        { name: PIPE_TOOL, inputSchema: { type: 'object', properties: { x: { type: 'string' } } } },
      ],
    }),
    'agents/evil.agent.yaml': [
      `name: ${JSON.stringify(EVIL_AGENT)}`,
      'principal: Agent::"<b>x</b>"',
      'identity:',
      '  type: workload',
      '  id: "id<i>|</i>"',
      'tools:',
      `  - ${JSON.stringify(`ev"il/${EVIL_TOOL}`)}`,
      `  - ${JSON.stringify(`ev"il/${PIPE_TOOL}`)}`,
      'audit:',
      '  sink: "https://a.example/<svg onload=alert(1)>"',
      '',
    ].join('\n'),
    'policies/p.cedar':
      '@id("evil</code><script>")\npermit (principal, action, resource) when { context.input.x == "</code><script>alert(2)</script>|`" };\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(hostile, name)), { recursive: true });
    writeFileSync(join(hostile, name), text);
  }
});

describe('agentgov matrix', () => {
  it('JSON per SPEC §11 on the examples, with residuals, risk and files', async () => {
    const { code, out } = await cli(['matrix', EXAMPLES, '--format', 'json']);
    expect(code).toBe(0);
    const m = JSON.parse(out);
    expect(m.cells).toHaveLength(12);
    const refund = m.cells.find((c: { tool: string }) => c.tool === 'create_refund');
    expect(Object.keys(refund).slice(0, 7)).toEqual([
      'agent',
      'tool',
      'decision',
      'withApproval',
      'policies',
      'identity',
      'audit',
    ]);
    expect(refund).toMatchObject({
      agent: 'billing-assistant',
      decision: 'depends',
      withApproval: 'depends',
      policies: ['billing-small-refunds', 'refunds-above-limit-need-approval'],
      identity: {
        type: 'workload',
        id: 'spiffe://acme.example/agents/billing-assistant',
        credentials: [{ name: 'payments-api', type: 'jit-token', ttl: '15m' }],
      },
      audit: 'otel://collector.acme.example:4317',
      server: 'payments',
      risk: { level: 'high' },
      residual: 'allowed when context.input.amount <= 500 && context.input.currency == "EUR", unless context.input.amount > 500',
      withApprovalResidual: 'allowed when context.input.amount <= 500 && context.input.currency == "EUR"',
      files: {
        binding: { file: 'agents/billing-assistant.agent.yaml', range: { start: { line: 15, character: 4 } } },
        tool: { file: 'tools/payments-server/src/server.ts' },
      },
    });
    expect(refund.files.policies.map((p: { id: string; file: string }) => `${p.file}#${p.id}`)).toEqual([
      'policies/billing.cedar#billing-small-refunds',
      'policies/billing.cedar#refunds-above-limit-need-approval',
    ]);
    const publish = m.cells.find((c: { tool: string }) => c.tool === 'publish_report');
    expect(publish).toMatchObject({ decision: 'allow', withApproval: 'allow', policies: ['analytics-publish-report'] });
    const research = m.cells.find((c: { agent: string }) => c.agent === 'research-agent');
    expect(research.audit).toBe('none');
    expect(m.gaps).toEqual([
      expect.objectContaining({ agent: 'research-agent', tool: 'summarize_page', file: 'agents/research-agent.agent.yaml' }),
    ]);
  });

  it('--all: every agent × every tool of the examples', async () => {
    const m = JSON.parse((await cli(['matrix', EXAMPLES, '--all', '--format', 'json'])).out);
    expect(m.all).toBe(true);
    expect(m.cells).toHaveLength(6 * 13);
    const unlisted = m.cells.find(
      (c: { agent: string; tool: string }) => c.agent === 'research-agent' && c.tool === 'create_refund',
    );
    expect(unlisted).toMatchObject({ listed: false, decision: 'deny', withApproval: 'deny' });
    // Any principal may search the web: the agents not bound to it are allowed too.
    const search = m.cells.find(
      (c: { agent: string; tool: string }) => c.agent === 'billing-assistant' && c.tool === 'search_web',
    );
    expect(search).toMatchObject({ listed: false, decision: 'depends', policies: ['research-search-web'] });
  });

  it('text: aligned columns, the condition under a row that depends on the input, a summary', async () => {
    const { code, out } = await cli(['matrix', EXAMPLES]);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^AGENT +TOOL +RISK +WITHOUT APPROVAL +WITH APPROVAL +POLICIES +IDENTITY +AUDIT$/);
    const row = lines.findIndex((l) => l.startsWith('billing-assistant  payments/create_refund'));
    expect(lines[row]).toMatch(/ high +depends +depends +billing-small-refunds, refunds-above-limit-need-approval +workload /);
    // Columns line up with the header.
    expect(lines[row].indexOf(' high ') + 1).toBe(lines[0].indexOf('RISK'));
    expect(lines[row + 1]).toBe(
      '    without approval: allowed when context.input.amount <= 500 && context.input.currency == "EUR", unless context.input.amount > 500',
    );
    expect(lines[row + 2]).toBe(
      '    with approval:    allowed when context.input.amount <= 500 && context.input.currency == "EUR"',
    );
    expect(out).toContain(
      'research-agent → summarize_page: no tool of the workspace has this name  [agents/research-agent.agent.yaml:17]',
    );
    expect(out.trimEnd().split('\n').pop()).toBe(
      '12 bound agent × tool pairs. Without approval: 1 allow, 2 deny, 9 depend on the input. With approval: 3 allow, 2 deny, 7 depend on the input. 1 not decided (see below).',
    );
  });

  it('markdown: a table whose rows keep their columns whatever the names hold', async () => {
    const examples = (await cli(['matrix', EXAMPLES, '--format', 'markdown'])).out;
    expect(examples).toContain(
      '| `billing-assistant` | `payments/create_refund` | high | depends | depends | `billing-small-refunds, refunds-above-limit-need-approval` | without approval: `allowed when context.input.amount <= 500 && context.input.currency == "EUR", unless context.input.amount > 500`<br>with approval: `allowed when context.input.amount <= 500 && context.input.currency == "EUR"` |',
    );
    const { code, out } = await cli(['matrix', hostile, '--format', 'markdown']);
    expect(code).toBe(0);
    const rows = out.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Agent') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(2);
    // Nine columns: ten pipes that are not escaped.
    for (const r of rows) expect(r.match(/(?<!\\)\|/g)).toHaveLength(10);
    expect(out).toContain('``ev"il/pipe\\|tool`tick\\u{1b}[31m``');
    expect(out).not.toContain('\u001b');
    expect(out).toContain('`ev"il/<img src=x onerror=alert(1)>\\|x`');
  });

  it('html: one self-contained page, every workspace value escaped', async () => {
    const { code, out } = await cli(['matrix', hostile, '--format', 'html']);
    expect(code).toBe(0);
    expect(out.match(/<script/gi)).toHaveLength(1);
    expect(out).not.toMatch(/<img|<svg|<b>|<i>|<\/code><script/i);
    expect(out).toContain('&#60;img src=x onerror=alert(1)&#62;|x');
    expect(out).toContain('&#60;script&#62;alert(&#39;a|b&#39;)&#60;/script&#62;');
    // Nothing is fetched: no external source, link or stylesheet.
    expect(out.replace(/"[^"]*"/g, '""')).not.toMatch(/<[a-z][^>]*\s(src|href)\s*=|<link|@import|url\(/i);
    // Attribute values never end early: a quote inside is escaped.
    for (const m of out.matchAll(/ data-[a-z]+="([^"]*)"(.)/g)) expect([' ', '>']).toContain(m[2]);
    expect(out).toContain('data-tool="ev&#34;il/&#60;img src=x onerror=alert(1)&#62;|x"');
    const examples = (await cli(['matrix', EXAMPLES, '--format', 'html'])).out;
    expect(examples.match(/<tr data-agent=/g)).toHaveLength(12);
    expect(examples).toContain(
      '<code>allowed when context.input.amount &#60;= 500 &#38;&#38; context.input.currency == &#34;EUR&#34;',
    );
  });

  it('text: control characters of a hostile name are shown escaped, not sent to the terminal', async () => {
    const { out } = await cli(['matrix', hostile]);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('pipe|tool`tick\\u{1b}[31m');
  });

  it('exit 2 for a folder that cannot be read', async () => {
    expect((await cli(['matrix', '/nonexistent/folder'])).code).toBe(2);
  });
});
