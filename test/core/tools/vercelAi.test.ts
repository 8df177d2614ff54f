import { describe, expect, it } from 'vitest';
import { discoverTools } from '../../../server/src/core/tools';
import { discover, fixture, names, rangeIn, rangeOf, textAt, tool } from './fixtures';

describe('Vercel AI SDK tool()', () => {
  const file = fixture('vercel-ai/agent.ts');
  const { tools, problems } = discover('vercel-ai/agent.ts');

  it('names each tool by its key: direct, shorthand, renamed const, spread object, string key', () => {
    expect(names(tools)).toEqual(['bookFlight', 'cancel-booking', 'getForecast', 'searchFlights', 'weather']);
    expect(tools.every((t) => t.source === 'vercel-ai' && t.nameKnown && t.server === undefined)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('puts the name range on the key that names the tool', () => {
    expect(tool(tools, 'weather').nameRange).toEqual(rangeIn(file.text, '{\n  weather,', 'weather'));
    expect(tool(tools, 'getForecast').nameRange).toEqual(rangeOf(file.text, 'getForecast'));
    expect(tool(tools, 'cancel-booking').nameRange).toEqual(rangeOf(file.text, "'cancel-booking'"));
  });

  it('a const tool shares its definition range (the call) between its keys', () => {
    const t = tool(tools, 'weather');
    expect(textAt(file.text, t.range)).toMatch(/^aiTool\(\{\n  description: 'Get the weather in a location'/);
    expect(tool(tools, 'getForecast').range).toEqual(t.range);
  });

  it('a tool written under its key gets the property as its range', () => {
    expect(textAt(file.text, tool(tools, 'bookFlight').range)).toMatch(/^bookFlight: aiTool\(\{[\s\S]*\}\)$/);
  });

  it('reads inputSchema (zod) with defaults as optional', () => {
    expect(tool(tools, 'weather').input?.fields.map((f) => [f.name, f.type, f.required, f.description])).toEqual([
      ['location', { kind: 'string' }, true, 'The location to get the weather for'],
      ['unit', { kind: 'string', enum: ['celsius', 'fahrenheit'] }, false, undefined],
    ]);
  });

  it('reads parameters given as jsonSchema({...}) from ai', () => {
    const t = tool(tools, 'searchFlights');
    expect(t.description).toBe('Search flights between two airports');
    expect(t.input?.fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['from', { kind: 'string' }, true],
      ['to', { kind: 'string' }, true],
      ['passengers', { kind: 'number', integer: true }, false],
    ]);
    expect(t.input?.fields[0].description).toBe('IATA code of the departure airport');
  });

  it('needsApproval: a literal is a boolean, a function is dynamic, absent is undefined', () => {
    expect(tool(tools, 'bookFlight').needsApproval).toBe(true);
    expect(tool(tools, 'cancel-booking').needsApproval).toBe('dynamic');
    expect(tool(tools, 'weather').needsApproval).toBeUndefined();
  });
});

describe('Vercel AI SDK through a namespace import and require', () => {
  const { tools } = discover('vercel-namespace/agent.ts');

  it('finds ai.tool() with zod from require(), and a tool assigned to a key later', () => {
    expect(names(tools)).toEqual(['lookupOrder', 'sendReceipt']);
    expect(tool(tools, 'lookupOrder').needsApproval).toBe(false);
    expect(tool(tools, 'sendReceipt').input?.fields.map((f) => [f.name, f.type])).toEqual([
      ['orderId', { kind: 'string' }],
      ['email', { kind: 'string', format: 'email' }],
    ]);
  });
});

describe('Vercel AI SDK tools without a statically known key', () => {
  const file = fixture('vercel-unnamed/tools.ts');
  const { tools, problems } = discover('vercel-unnamed/tools.ts');

  it('reports each one as unknown with a placeholder name, never a guess', () => {
    expect(tools).toHaveLength(3);
    expect(tools.every((t) => !t.nameKnown)).toBe(true);
    expect(tools.map((t) => t.name)).toEqual([
      '<unnamed: exportedOnly>',
      '<computed: [`${prefix}_search`]>',
      expect.stringMatching(/^<unnamed: tool\(/),
    ]);
    expect(problems.map((p) => p.code)).toEqual(['tool-name-unknown', 'tool-name-unknown', 'tool-name-unknown']);
  });

  it('places the problems on the variable, the computed key and the call', () => {
    expect(problems[0].range).toEqual(rangeOf(file.text, 'exportedOnly'));
    expect(problems[1].range).toEqual(rangeOf(file.text, '[`${prefix}_search`]'));
    expect(textAt(file.text, problems[2].range)).toMatch(/^tool\(\{ description: 'In a list'/);
  });

  it('says where a schema imported from another file comes from', () => {
    expect(tools[0].input).toEqual({
      kind: 'object',
      fields: [],
      additional: true,
      unknownReason: "`sharedSchema` comes from './schemas', another file",
    });
  });
});

describe('CommonJS require of the SDKs', () => {
  it('const { tool: t } = require("ai") and const agents = require("@openai/agents")', () => {
    const text = [
      "const { tool: t } = require('ai');",
      "const agents = require('@openai/agents');",
      "const { z } = require('zod');",
      'module.exports = { tools: { fetchPage: t({ inputSchema: z.object({ url: z.url() }) }) } };',
      "module.exports.other = agents.tool({ name: 'other_tool', parameters: z.object({}) });",
    ].join('\n');
    const { tools } = discoverTools([{ path: '/ws/cjs.ts', text }]);
    expect(tools.map((t) => [t.name, t.source])).toEqual([
      ['fetchPage', 'vercel-ai'],
      ['other_tool', 'openai-agents'],
    ]);
    expect(tools[0].input?.fields[0].type).toEqual({ kind: 'string', format: 'url' });
  });
});
