import { describe, expect, it } from 'vitest';
import { discover, fixture, names, rangeOf, tool } from './fixtures';

describe('LangChain.js', () => {
  const file = fixture('langchain/tools.ts');
  const { tools, problems } = discover('langchain/tools.ts');

  it('finds tool(fn, config), DynamicStructuredTool, DynamicTool and StructuredTool subclasses', () => {
    expect(names(tools)).toEqual(['add_numbers', 'current_time', 'run_shell', 'send_email']);
    expect(tools.every((t) => t.source === 'langchain')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('takes the name range from the name literal', () => {
    expect(tool(tools, 'add_numbers').nameRange).toEqual(rangeOf(file.text, "'add_numbers'"));
    expect(tool(tools, 'run_shell').nameRange).toEqual(rangeOf(file.text, "'run_shell'"));
  });

  it('reads schemas and descriptions', () => {
    expect(tool(tools, 'send_email')).toMatchObject({ description: 'Send an email to a customer' });
    expect(tool(tools, 'send_email').input?.fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['to', { kind: 'string' }, true],
      ['subject', { kind: 'string' }, true],
      ['body', { kind: 'string' }, false],
    ]);
    expect(tool(tools, 'run_shell').input?.fields.map((f) => f.name)).toEqual(['command']);
  });

  it('a DynamicTool takes one string input', () => {
    expect(tool(tools, 'current_time').input?.fields).toEqual([{ name: 'input', type: { kind: 'string' }, required: false }]);
  });
});

describe('OpenAI Agents SDK', () => {
  const file = fixture('openai-agents/agent.ts');
  const { tools, problems } = discover('openai-agents/agent.ts');

  it('finds tool({name, ...}) and names a nameless tool after its execute function', () => {
    expect(names(tools)).toEqual(['get_weather', 'lookupCustomer', 'transfer_funds']);
    expect(tools.every((t) => t.source === 'openai-agents' && t.nameKnown)).toBe(true);
    expect(tool(tools, 'lookupCustomer').nameRange).toEqual(rangeOf(file.text, 'lookupCustomer'));
    expect(problems).toEqual([]);
  });

  it('reads JSON-Schema parameters and a dynamic needsApproval', () => {
    const t = tool(tools, 'transfer_funds');
    expect(t.needsApproval).toBe('dynamic');
    expect(t.input).toMatchObject({ additional: false });
    expect(t.input?.fields.map((f) => [f.name, f.type.kind, f.required, f.description])).toEqual([
      ['from', 'string', true, undefined],
      ['to', 'string', true, undefined],
      ['amount', 'number', true, 'Amount in EUR'],
    ]);
  });

  it('reads zod parameters', () => {
    expect(tool(tools, 'get_weather').input?.fields.map((f) => f.name)).toEqual(['city']);
    expect(tool(tools, 'get_weather').needsApproval).toBeUndefined();
  });
});
