import { describe, expect, it } from 'vitest';
import { discoverTools } from '../../../server/src/core/tools';
import { isPlaceholderSecret, namesSecret, secretInCode } from '../../../server/src/core/tools/codeSecrets';
import { rangeOf } from './fixtures';

/*
 * Literal secrets in tool code and tool lists (AG007), as discovery carries them: each with the
 * exact range of its literal, the name it is assigned to, and only ever its masked value. The
 * secrets are assembled at run time so this file holds none in a scannable form.
 */

const STRIPE = ['sk', 'live', '51HxYzAbCdEfGhIjKlMnOpQr'].join('_');
const BEARER = ['9f8e7d6c5b4a', '39281706f5e4d3c2'].join('');
const API_KEY = ['Qw3rTy7uI9oP', '2aS4dF6gH8jK'].join('');
const FALLBACK = ['f9a8c7e6d5b4', 'a3928170'].join('');
const HEADER = ['h3aD3rV4lu3', 'x9Y8z7W6'].join('');
const RAW = [STRIPE, BEARER, API_KEY, FALLBACK, HEADER];

const TOOL_CODE = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import Stripe from 'stripe';
import { z } from 'zod';

const stripe = new Stripe("${STRIPE}");
const SIGNING_SECRET = process.env.SIGNING_SECRET ?? "${FALLBACK}";
const server = new McpServer({ name: 'payments', version: '1.0.0' });

server.registerTool('create_refund', { description: 'Refund a payment', inputSchema: { amount: z.number() } }, async ({ amount }) => {
  const headers = new Headers({ Authorization: "Bearer ${BEARER}", 'Content-Type': 'application/json' });
  headers.set('x-api-key', '${HEADER}');
  const client = createClient({ apiKey: '${API_KEY}', baseUrl: 'https://api.example.com/v1' });
  // Near misses: references, placeholders, names about a credential, public keys, documented fakes.
  const fromEnv = createClient({ apiKey: process.env.PAYMENTS_API_KEY, token: '<your token>', password: '' });
  const test = { secretKey: 'sk_test_xxxxxxxxxxxxxxxxxxxxxxxx', apiKeyHeader: 'x-api-key', tokenEnv: 'STRIPE_API_KEY' };
  const more = { sortKey: 'created_at_2024_desc', publishableKey: 'pk_live_51HxYzAbCdEfGhIjKlMnOpQr' };
  const aws = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', tokenUrl: 'https://auth.example.com/oauth2/token' };
  return { content: [{ type: 'text', text: String(amount) }] };
});
`;

const TOOL_LIST = `{
  "server": "payments",
  "tools": [
    { "name": "get_invoice", "description": "Read an invoice; pass your API key",
      "_meta": { "headers": { "Authorization": "Bearer ${BEARER}" } },
      "inputSchema": { "type": "object", "properties": {
        "apiKey": { "type": "string", "description": "The API key", "default": "${STRIPE}" },
        "token": { "type": "string", "examples": ["<your token>"] } } } }
  ]
}
`;

describe('literal secrets in TypeScript tool code', () => {
  const result = discoverTools([{ path: '/ws/tools/payments.ts', text: TOOL_CODE }]);

  it('carries each secret literal with its exact range, its name and its reason', () => {
    const found = (result.secrets ?? []).map((s) => ({ key: s.key, reason: s.reason, range: s.range }));
    expect(found).toEqual([
      { key: 'new Stripe(…)', reason: 'format', range: rangeOf(TOOL_CODE, `"${STRIPE}"`) },
      { key: 'SIGNING_SECRET', reason: 'name', range: rangeOf(TOOL_CODE, `"${FALLBACK}"`) },
      { key: 'Authorization', reason: 'name', range: rangeOf(TOOL_CODE, `"Bearer ${BEARER}"`) },
      { key: 'x-api-key', reason: 'name', range: rangeOf(TOOL_CODE, `'${HEADER}'`) },
      { key: 'apiKey', reason: 'name', range: rangeOf(TOOL_CODE, `'${API_KEY}'`) },
    ]);
    expect(result.secrets?.every((s) => s.file === '/ws/tools/payments.ts')).toBe(true);
    // The tool itself is still found.
    expect(result.tools.map((t) => t.name)).toEqual(['create_refund']);
  });

  it('never holds a raw secret, only masked values', () => {
    const all = JSON.stringify(result);
    for (const raw of RAW) expect(all).not.toContain(raw);
    expect(result.secrets?.[0].maskedValue).toBe('sk_l…(32 chars)');
    expect(result.secrets?.[2].maskedValue).toMatch(/^Bearer 9f8e…\(28 chars\)$/);
  });

  it('never quotes a secret in a problem either, also in a broken file', () => {
    const broken = `${TOOL_CODE}\nconst unfinished = { apiKey: "${API_KEY}" ;\nserver.registerTool(\n`;
    const r = discoverTools([{ path: '/ws/tools/broken.ts', text: broken }]);
    expect(r.problems.some((p) => p.code === 'ts-syntax')).toBe(true);
    expect(r.secrets?.some((s) => s.range.start.line === rangeOf(broken, API_KEY, 1).start.line)).toBe(true);
    const all = JSON.stringify(r);
    for (const raw of RAW) expect(all).not.toContain(raw);
  });

  it('knows the name through assignments, class fields, parameters, casts and fallbacks', () => {
    const text = `import { tool } from 'ai';
class Client {
  private readonly authToken = '${API_KEY}';
  connect(password = '${FALLBACK}') { this.clientSecret ??= ('${BEARER}' as string); }
}
const cfg = { headers: [['x-api-key', \`${HEADER}\`]] };
export const tools = { get_invoice: tool({ description: 'Read', execute: async () => 1 }) };
`;
    const r = discoverTools([{ path: '/ws/tools/client.ts', text }]);
    expect((r.secrets ?? []).map((s) => [s.key, s.range])).toEqual([
      ['authToken', rangeOf(text, `'${API_KEY}'`)],
      ['password', rangeOf(text, `'${FALLBACK}'`)],
      ['clientSecret', rangeOf(text, `'${BEARER}'`)],
      ['x-api-key', rangeOf(text, `\`${HEADER}\``)],
    ]);
  });

  it('finds nothing in a tool file without secrets', () => {
    const clean = `import { tool } from 'ai';\nimport { z } from 'zod';\nexport const tools = { get_invoice: tool({ description: 'Read', inputSchema: z.object({ id: z.string() }), execute: async () => process.env.API_KEY }) };\n`;
    expect(discoverTools([{ path: '/ws/tools/clean.ts', text: clean }]).secrets).toBeUndefined();
  });
});

describe('literal secrets in JSON tool lists', () => {
  it('finds a secret by format anywhere and by key, with its range, masked', () => {
    const r = discoverTools([{ path: '/ws/tools/payments.tools.json', text: TOOL_LIST }]);
    expect((r.secrets ?? []).map((s) => ({ key: s.key, reason: s.reason, range: s.range }))).toEqual([
      { key: 'Authorization', reason: 'name', range: rangeOf(TOOL_LIST, `"Bearer ${BEARER}"`) },
      { key: 'default', reason: 'format', range: rangeOf(TOOL_LIST, `"${STRIPE}"`) },
    ]);
    const all = JSON.stringify(r);
    for (const raw of RAW) expect(all).not.toContain(raw);
  });
});

describe('what counts as a secret in code', () => {
  it('placeholders never count, whatever their name or format', () => {
    for (const v of ['', '<your key>', 'YOUR_API_KEY', 'sk_test_xxx', 'sk-...', '********', 'changeme', 'AKIAIOSFODNN7EXAMPLE'])
      expect(isPlaceholderSecret(v), v).toBe(true);
    expect(secretInCode(['sk', 'test', 'xxxxxxxxxxxxxxxxxxxxxxxx'].join('_'), 'apiKey')).toBeUndefined();
  });
  it('a test-mode key with a real body is a credential all the same', () => {
    expect(secretInCode(['sk', 'test', '4eC39HqLyjWDarjtT1zdp7dc'].join('_'), undefined)).toBe('format');
  });
  it('names that hold a credential, and names about one', () => {
    for (const n of ['apiKey', 'STRIPE_SECRET_KEY', 'authToken', 'Authorization', 'x-api-key', 'password', 'clientSecret'])
      expect(namesSecret(n), n).toBe(true);
    for (const n of ['key', 'apiKeyHeader', 'tokenUrl', 'API_KEY_ENV', 'passwordField', 'sortKey', 'nextPageToken'])
      expect(namesSecret(n), n).toBe(false);
  });
  it('a credential name needs a value that looks like one', () => {
    expect(secretInCode(API_KEY, 'apiKey')).toBe('name');
    expect(secretInCode('STRIPE_API_KEY', 'apiKey')).toBeUndefined();
    expect(secretInCode('https://auth.example.com/token', 'authToken')).toBeUndefined();
    expect(secretInCode('required', 'authToken')).toBeUndefined();
    expect(secretInCode('hunter2!', 'password')).toBe('name');
  });
});
