import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../server/src/cli/main';
import { BILLING, SIM_ENTITIES, SIM_POLICIES, SIM_SCHEMA, SIM_TOOLS, SUPPORT } from '../core/simulationFixture';

const EXAMPLES = join(__dirname, '../../examples');
let dir = '';

/** The simulation fixture on disk. */
function writeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'agentgov-simulate-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

beforeAll(() => {
  dir = writeWorkspace({
    'schema.cedarschema': SIM_SCHEMA,
    'tools/payments.tools.json': SIM_TOOLS,
    'platform.cedarentities.json': SIM_ENTITIES,
    'agents/billing.agent.yaml': BILLING,
    'agents/support.agent.yaml': SUPPORT,
    'policies/payments.cedar': SIM_POLICIES,
    'ctx/small.json': '{"input": {"amount": 100}}',
    'ctx/broken.json': '{\n  "input": {"amount": 100,,}\n}',
  });
});

afterEach(() => vi.restoreAllMocks());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const code = await runCli(args, (s) => (out += s));
  vi.restoreAllMocks();
  return { code, out, err };
}

const simulate = (...args: string[]) => cli(['simulate', dir, ...args]);

describe('agentgov simulate', () => {
  it('exits 0 when decided, allow or deny, and prints the decision with its policies and places', async () => {
    const allow = await simulate(
      '--principal',
      'billing',
      '--action',
      'create_refund',
      '--context',
      '{"input": {"amount": 100}}',
    );
    expect(allow.code).toBe(0);
    expect(allow.out).toMatch(/^ALLOW {2}agent billing → tool payments\/create_refund\n/);
    expect(allow.out).toContain('    permit small-refunds  policies/payments.cedar:1:1\n');
    expect(allow.out).toContain('request validated against the schema');
    const deny = await simulate('--principal', 'billing', '--action', 'create_refund', '--context', '{"input": {"amount": 900}}');
    expect(deny.code).toBe(0);
    expect(deny.out).toMatch(/^DENY /);
    expect(deny.out).toContain('forbid big-refunds-need-approval  policies/payments.cedar:5:1');
  });

  it('--expect: exit 1 when the decision differs, 0 when it matches', async () => {
    const args = ['--principal', 'billing', '--action', 'create_refund', '--context', '{"input": {"amount": 900}}'];
    expect((await simulate(...args, '--expect', 'allow')).code).toBe(1);
    expect((await simulate(...args, '--expect', 'deny')).code).toBe(0);
  });

  it('JSON: the decision, the determining policies with relative files and 0-based ranges, the exact context', async () => {
    const { code, out } = await simulate(
      '--principal',
      'Acme::Agent::"billing"',
      '--action',
      'payments/transfer',
      '--context',
      '{"input": {"cents": 9007199254740993}}',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j).toMatchObject({
      version: 1,
      decision: 'allow',
      determining: [
        { id: 'exact-transfer', effect: 'permit', file: 'policies/payments.cedar', range: { start: { line: 17, character: 0 } } },
      ],
      errors: [{ policyId: 'overflowing-transfer', policy: { file: 'policies/payments.cedar' } }],
      validated: true,
    });
    // JSON.parse of the output itself rounds it: the text holds the exact integer.
    expect(out).toContain('"cents": 9007199254740993');
  });

  it('reads the context from a file with @', async () => {
    const { code, out } = await simulate(
      '--principal',
      'billing',
      '--action',
      'create_refund',
      '--context',
      `@${join(dir, 'ctx/small.json')}`,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^ALLOW/);
  });

  it('exit 2, one line naming the closest match, for an unknown agent or tool', async () => {
    const agent = await simulate('--principal', 'biling', '--action', 'create_refund');
    expect(agent).toEqual({ code: 2, out: '', err: 'agentgov: No agent is named "biling". Did you mean billing?\n' });
    const tool = await simulate('--principal', 'billing', '--action', 'payments/create_refnd');
    expect(tool.code).toBe(2);
    expect(tool.err).toBe('agentgov: No tool is named "payments/create_refnd". Did you mean payments/create_refund?\n');
  });

  it('exit 2 for context JSON that does not parse, with its position (and the file it came from)', async () => {
    const inline = await simulate('--principal', 'billing', '--action', 'create_refund', '--context', '{"input": {"amount": }}');
    expect(inline.code).toBe(2);
    expect(inline.err).toBe('agentgov: The context is not valid JSON: value expected at line 1, column 22.\n');
    const file = join(dir, 'ctx/broken.json');
    const fromFile = await simulate('--principal', 'billing', '--action', 'create_refund', '--context', `@${file}`);
    expect(fromFile.code).toBe(2);
    expect(fromFile.err).toMatch(
      new RegExp(
        `^agentgov: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: The context is not valid JSON: .* at line 2, column \\d+\\.\\n$`,
      ),
    );
    const missing = await simulate('--principal', 'billing', '--action', 'create_refund', '--context', '@/nonexistent/ctx.json');
    expect(missing).toMatchObject({ code: 2, err: 'agentgov: cannot read the context file /nonexistent/ctx.json: ENOENT\n' });
  });

  it('a context file is read as workspace files are: a byte order mark dropped, UTF-16 and binary refused saying so', async () => {
    // Found by the CLI fuzzer's contexts: a UTF-8 file with a BOM (as Windows editors save it) was "not valid JSON at line 1, column 1".
    const ctx = (name: string, bytes: Uint8Array) => {
      writeFileSync(join(dir, 'ctx', name), bytes);
      return simulate('--principal', 'billing', '--action', 'create_refund', '--context', `@${join(dir, 'ctx', name)}`);
    };
    const json = '{"input": {"amount": 100}}';
    const bom = await ctx('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]));
    expect(bom.code).toBe(0);
    expect(bom.out).toMatch(/^ALLOW/);
    const utf16 = await ctx('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    expect(utf16).toMatchObject({ code: 2, out: '' });
    expect(utf16.err).toMatch(/^agentgov: cannot read the context file .*utf16\.json: This file is UTF-16: save it as UTF-8/);
    const binary = await ctx('nul.json', Buffer.from('{"input": {"amount": 1\u0000}}'));
    expect(binary.err).toMatch(/^agentgov: cannot read the context file .*nul\.json: This looks like a binary file/);
    const invalid = await ctx('latin1.json', Buffer.from('{"input": {"note": "caf\xe9"}}', 'latin1'));
    expect(invalid.err).toMatch(/^agentgov: cannot read the context file .*latin1\.json: Invalid UTF-8 at byte 23/);
    expect([utf16, binary, invalid].map((r) => r.err.split('\n').length)).toEqual([2, 2, 2]);
  });

  it('JSON and text with an integer beyond 2^53 beside a character beyond Latin-1: valid and exact (found by the CLI fuzzer)', async () => {
    // Node 20 wrote such a context as `"currency": "€"〹㜰㤱…` and bytes of memory after it.
    const context = '{"input": {"currency": "€ — ₹", "amount": 9007199254740993}}';
    const json = await simulate('--principal', 'billing', '--action', 'create_refund', '--context', context, '--format', 'json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out);
    expect(parsed.request.context.input.currency).toBe('€ — ₹');
    expect(json.out).toContain('"amount": 9007199254740993');
    const text = await simulate('--principal', 'billing', '--action', 'create_refund', '--context', context);
    expect(text.out).toContain('context   {"input":{"currency":"€ — ₹","amount":9007199254740993}}');
  });

  it('exit 2 when Cedar cannot decide (a context the schema rejects), the reason printed', async () => {
    const { code, out } = await simulate(
      '--principal',
      'billing',
      '--action',
      'get_invoice',
      '--context',
      '{"input": {"id": 3}}',
    );
    expect(code).toBe(2);
    expect(out).toMatch(/^NOT DECIDED/);
    expect(out).toMatch(/Cedar: context .* is not valid/);
  });

  it('exit 2 for a missing option or folder, without a stack', async () => {
    const noAction = await simulate('--principal', 'billing');
    expect(noAction.code).toBe(2);
    expect(noAction.err).toMatch(/required option '--action <tool>' not specified/);
    const noDir = await cli(['simulate', '/nonexistent/folder', '--principal', 'a', '--action', 'b']);
    expect(noDir).toMatchObject({ code: 2, err: 'agentgov: cannot read /nonexistent/folder: no such folder\n' });
  });

  it('on the examples: the billing assistant may refund 100 EUR, not 900 without approval', async () => {
    const ask = (amount: number, extra = '') =>
      cli([
        'simulate',
        EXAMPLES,
        '--principal',
        'billing-assistant',
        '--action',
        'payments/create_refund',
        '--context',
        `{"input": {"invoiceId": "INV-1", "amount": ${amount}, "currency": "EUR"}${extra}}`,
        '--format',
        'json',
      ]);
    expect(JSON.parse((await ask(100)).out)).toMatchObject({ decision: 'allow', determining: [{ id: 'billing-small-refunds' }] });
    expect(JSON.parse((await ask(900)).out)).toMatchObject({
      decision: 'deny',
      determining: [{ id: 'refunds-above-limit-need-approval', file: 'policies/billing.cedar' }],
    });
    expect(JSON.parse((await ask(900, ', "approval": {"granted": true}')).out)).toMatchObject({
      decision: 'deny',
      determining: [],
    });
  });
});
