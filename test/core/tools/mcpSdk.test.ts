import { describe, expect, it } from 'vitest';
import { discover, fixture, names, rangeOf, textAt, tool } from './fixtures';

describe('MCP TypeScript SDK: registerTool', () => {
  const file = fixture('mcp-register/server.ts');
  const { tools, problems } = discover('mcp-register/server.ts');

  it('finds only calls on the McpServer, not a look-alike method', () => {
    expect(names(tools)).toEqual(['create_refund', 'get_invoice', 'list_invoices']);
    expect(problems).toEqual([]);
  });

  it('reads name, server, title, description, annotations and the schema held in a const', () => {
    const t = tool(tools, 'create_refund');
    expect(t).toMatchObject({
      nameKnown: true,
      server: 'payments',
      title: 'Create refund',
      description: 'Refund part or all of a paid invoice',
      source: 'mcp-sdk',
      annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    });
    expect(t.input?.fields.map((f) => [f.name, f.type, f.required, f.description])).toEqual([
      ['invoiceId', { kind: 'string' }, true, 'The invoice to refund'],
      ['amountCents', { kind: 'number', integer: true }, true, 'Amount in cents'],
      ['reason', { kind: 'string', enum: ['duplicate', 'fraud', 'requested_by_customer'] }, false, undefined],
    ]);
  });

  it('gives exact ranges: the name literal, the whole call, each field key', () => {
    const t = tool(tools, 'create_refund');
    expect(t.nameRange).toEqual(rangeOf(file.text, "'create_refund'"));
    expect(textAt(file.text, t.range)).toMatch(/^server\.registerTool\(\n  'create_refund',[\s\S]*\}\] \}\),\n\)$/);
    expect(t.input?.fields[0].range).toEqual(rangeOf(file.text, 'invoiceId', 0));
  });

  it('reads z.object schemas and the title from annotations', () => {
    const t = tool(tools, 'get_invoice');
    expect(t.nameRange).toEqual(rangeOf(file.text, '"get_invoice"'));
    expect(t.title).toBe('Get invoice');
    expect(t.annotations).toEqual({ title: 'Get invoice', readOnlyHint: true });
    expect(t.input).toEqual({
      kind: 'object',
      fields: [expect.objectContaining({ name: 'invoiceId', required: true })],
      additional: false,
    });
  });

  it('follows a config object held in a const; an empty raw shape is a tool without arguments', () => {
    const t = tool(tools, 'list_invoices');
    expect(t.description).toBe('List open invoices');
    expect(t.input).toEqual({ kind: 'object', fields: [], additional: false });
  });
});

describe('MCP TypeScript SDK: legacy server.tool overloads', () => {
  const { tools, problems } = discover('mcp-legacy/server.ts');

  it('finds every overload with the server name', () => {
    expect(names(tools)).toEqual(['drop_table', 'echo', 'health', 'ping', 'read_log', 'restart_service', 'server_time']);
    expect(tools.every((t) => t.source === 'mcp-sdk-legacy' && t.server === 'ops-tools')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('tool(name, handler): no input schema', () => {
    expect(tool(tools, 'ping').input).toBeUndefined();
    expect(tool(tools, 'ping').description).toBeUndefined();
  });

  it('tool(name, description, handler)', () => {
    expect(tool(tools, 'server_time')).toMatchObject({ description: 'Current server time' });
    expect(tool(tools, 'server_time').input).toBeUndefined();
  });

  it('tool(name, paramsSchema, handler)', () => {
    expect(tool(tools, 'echo').input?.fields).toEqual([
      expect.objectContaining({ name: 'text', type: { kind: 'string' }, required: true }),
    ]);
  });

  it('tool(name, annotations, handler)', () => {
    const t = tool(tools, 'health');
    expect(t.annotations).toEqual({ readOnlyHint: true, title: 'Health check' });
    expect(t.title).toBe('Health check');
    expect(t.input).toBeUndefined();
  });

  it('tool(name, description, paramsSchema, handler): a default makes a field optional', () => {
    const t = tool(tools, 'restart_service');
    expect(t.description).toBe('Restart a service');
    expect(t.input?.fields.map((f) => [f.name, f.required])).toEqual([
      ['service', true],
      ['force', false],
    ]);
  });

  it('tool(name, paramsSchema, annotations, handler)', () => {
    const t = tool(tools, 'read_log');
    expect(t.annotations).toEqual({ readOnlyHint: true });
    expect(t.input?.fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['path', { kind: 'string' }, true],
      ['lines', { kind: 'number', integer: true }, false],
    ]);
  });

  it('tool(name, description, paramsSchema, annotations, handler)', () => {
    const t = tool(tools, 'drop_table');
    expect(t).toMatchObject({
      description: 'Drop a database table',
      annotations: { destructiveHint: true, idempotentHint: true },
    });
    expect(t.input?.fields[0]).toMatchObject({ name: 'table', description: 'Fully qualified table name' });
  });
});

describe('MCP TypeScript SDK: receivers', () => {
  const { tools } = discover('mcp-typed-receiver/register.ts');

  it('accepts parameters typed McpServer, class properties and parameter properties; not untyped ones', () => {
    expect(names(tools)).toEqual(['deploy_release', 'rollback', 'search_docs']);
  });

  it('knows the server name only where `new McpServer({name})` is visible', () => {
    expect(tool(tools, 'search_docs').server).toBeUndefined();
    expect(tool(tools, 'deploy_release').server).toBe('deployer');
    expect(tool(tools, 'rollback').server).toBeUndefined();
  });

  it('reads zod/v4 schemas', () => {
    expect(tool(tools, 'search_docs').input?.fields.map((f) => f.name)).toEqual(['query']);
  });
});

describe('MCP TypeScript SDK: low-level Server with a ListTools handler', () => {
  const file = fixture('mcp-low-level/server.ts');
  const { tools, problems } = discover('mcp-low-level/server.ts');

  it('reads the returned tools: inline, from a const, spread from a const array', () => {
    expect(problems).toEqual([]);
    expect(names(tools)).toEqual(['list_directory', 'read_file', 'write_file']);
    expect(tools.every((t) => t.server === 'filesystem' && t.source === 'mcp-sdk')).toBe(true);
  });

  it('reads JSON-Schema literals, zodToJsonSchema(zod) and annotations', () => {
    expect(tool(tools, 'read_file').input?.fields).toEqual([
      expect.objectContaining({ name: 'path', description: 'Absolute path', required: true }),
    ]);
    expect(tool(tools, 'write_file').input?.fields.map((f) => [f.name, f.required])).toEqual([
      ['path', true],
      ['content', true],
    ]);
    expect(tool(tools, 'write_file').annotations).toEqual({ destructiveHint: true });
    expect(tool(tools, 'list_directory').annotations).toEqual({ readOnlyHint: true });
    expect(tool(tools, 'write_file').nameRange).toEqual(rangeOf(file.text, "'write_file'"));
  });
});
