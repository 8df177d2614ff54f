import { describe, expect, it } from 'vitest';
import { discoverTools } from '../../../server/src/core/tools';
import { discover, fixture, names, rangeOf, textAt, tool } from './fixtures';

describe('MCP tools/list JSON', () => {
  const file = fixture('json-mcp/payments.tools.json');
  const { tools, problems } = discover('json-mcp/payments.tools.json');

  it('reads JSONC (comments, trailing commas); the server is the file name', () => {
    expect(problems).toEqual([]);
    expect(names(tools)).toEqual(['create_refund', 'get_balance']);
    expect(tools.every((t) => t.server === 'payments' && t.source === 'mcp-json')).toBe(true);
  });

  it('reads title, description, annotations and the input schema with local $refs', () => {
    const t = tool(tools, 'create_refund');
    expect(t).toMatchObject({
      title: 'Create refund',
      description: 'Refund a paid invoice',
      annotations: { destructiveHint: true },
    });
    expect(t.input?.fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['invoiceId', { kind: 'string' }, true],
      ['amount', { kind: 'number', integer: true }, true],
      ['currency', { kind: 'string', enum: ['EUR', 'USD'] }, false],
      [
        'lines',
        { kind: 'array', items: { kind: 'object', fields: [expect.objectContaining({ name: 'sku' })], additional: true } },
        false,
      ],
    ]);
    expect(t.input?.fields[0].description).toBe('Invoice to refund');
  });

  it('ranges: the name value and the whole tool object', () => {
    const t = tool(tools, 'create_refund');
    expect(t.nameRange).toEqual(rangeOf(file.text, '"create_refund"'));
    expect(textAt(file.text, t.range)).toMatch(/^\{\n\s+"name": "create_refund"[\s\S]*"destructiveHint": true \}\n\s+\}$/);
    expect(t.input?.fields[1].range).toEqual(rangeOf(file.text, '"amount"'));
  });

  it('reads a JSON-RPC response: server from serverInfo, nullable types', () => {
    const { tools: rpc } = discover('json-mcp/jsonrpc-response.json');
    expect(rpc).toHaveLength(1);
    expect(rpc[0]).toMatchObject({ name: 'merge_pull_request', server: 'github', source: 'mcp-json' });
    expect(rpc[0].input?.fields[0].type).toEqual({ kind: 'number', integer: true });
  });

  it('a `server` field names the server; a nameless tool is a problem on that object', () => {
    const named = fixture('json-mcp/named.tools.json');
    const r = discover('json-mcp/named.tools.json');
    expect(r.tools.map((t) => [t.name, t.server])).toEqual([['web_search', 'search']]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'tool-invalid',
        severity: 'error',
        range: rangeOf(named.text, '{ "description": "no name here" }'),
      }),
    ]);
  });
});

describe('OpenAI function JSON', () => {
  it('reads a nested array and skips hosted tools', () => {
    const { tools, problems } = discover('json-openai/functions.json');
    expect(problems).toEqual([]);
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({
      name: 'get_current_weather',
      source: 'openai-function',
      description: 'Get the current weather in a given location',
    });
    expect(tools[0].server).toBeUndefined();
    expect(tools[0].input?.fields.map((f) => [f.name, f.required])).toEqual([
      ['location', true],
      ['unit', false],
    ]);
  });

  it('reads a single flat (Responses API) definition', () => {
    const { tools } = discover('json-openai/flat-single.json');
    expect(tools.map((t) => t.name)).toEqual(['send_invoice']);
    expect(tools[0].input).toMatchObject({ additional: false });
  });

  it('reads `tools` and legacy `functions` of a request body', () => {
    const { tools } = discover('json-openai/request.json');
    expect(tools.map((t) => [t.name, t.source])).toEqual([
      ['lookup_order', 'openai-function'],
      ['legacy_fn', 'openai-function'],
    ]);
  });

  it('leaves unrelated JSON alone, even with a `tools` key', () => {
    expect(discover('json-openai/unrelated.json')).toEqual({ tools: [], problems: [] });
  });
});

describe('broken JSON', () => {
  it('a broken tool list reports the error at its position and keeps what parsed', () => {
    const file = fixture('json-broken/orders.tools.json');
    const { tools, problems } = discover('json-broken/orders.tools.json');
    expect(tools.map((t) => t.name)).toContain('get_order');
    expect(problems[0]).toMatchObject({ code: 'json-syntax', severity: 'error', message: 'Invalid JSON: comma expected' });
    expect(problems[0].range.start).toEqual(rangeOf(file.text, '"inputSchema"', 1).start);
  });

  it('broken JSON that is not a tool list by name or shape gets no diagnostics from discovery', () => {
    expect(discover('json-broken/config.json')).toEqual({ tools: [], problems: [] });
  });

  it('a tool list without tools is a warning; an empty tools array is fine', () => {
    expect(discoverTools([{ path: '/ws/x.tools.json', text: '{"servers": {}}' }]).problems.map((p) => p.severity)).toEqual([
      'warning',
    ]);
    expect(discoverTools([{ path: '/ws/x.tools.json', text: '{"tools": []}' }])).toEqual({ tools: [], problems: [] });
  });

  it('Cedar JSON, package.json and MCP configs are not tool lists', () => {
    const text = '{"tools": [{"name": "x", "inputSchema": {}}]}';
    for (const path of [
      '/ws/a.cedarschema.json',
      '/ws/package.json',
      '/ws/.vscode/mcp.json',
      '/ws/node_modules/p/x.tools.json',
      '/ws/b.agent.json',
    ]) {
      expect(discoverTools([{ path, text }]).tools).toEqual([]);
    }
    expect(discoverTools([{ path: '/ws/tools/x.json', text }]).tools).toHaveLength(1);
  });
});
