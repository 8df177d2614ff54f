import { describe, expect, it } from 'vitest';
import { discoverTools, parseBinding, parseMcpConfig, toolFileKind } from '../../../server/src/core/tools';
import { fixture } from './fixtures';

describe('discoverTools', () => {
  it('chooses the reader by file kind and merges the results', () => {
    const files = [
      fixture('mcp-legacy/server.ts'),
      fixture('vercel-ai/agent.ts'),
      fixture('json-mcp/payments.tools.json'),
      fixture('json-openai/functions.json'),
      fixture('mcp-config/.vscode/mcp.json'),
      fixture('node-modules/node_modules/fake-sdk/index.ts'),
      { path: '/ws/README.md', text: "server.tool('x')" },
    ];
    const { tools, problems } = discoverTools(files);
    expect(problems).toEqual([]);
    const bySource = tools.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.source]: (acc[t.source] ?? 0) + 1 }), {});
    expect(bySource).toEqual({ 'mcp-sdk-legacy': 7, 'vercel-ai': 5, 'mcp-json': 2, 'openai-function': 1 });
    expect(tools.every((t) => files.some((f) => f.path === t.file))).toBe(true);
  });

  it('classifies files as SPEC §3 and §11 say', () => {
    expect(toolFileKind('/ws/src/server.ts')).toBe('typescript');
    expect(toolFileKind('/ws/src/App.tsx')).toBe('typescript');
    expect(toolFileKind('/ws/src/esm.mts')).toBe('typescript');
    expect(toolFileKind('/ws/src/types.d.ts')).toBe('ignored');
    expect(toolFileKind('/ws/node_modules/ai/index.ts')).toBe('ignored');
    expect(toolFileKind('C:\\ws\\.git\\x.ts')).toBe('ignored');
    expect(toolFileKind('/ws/payments.tools.json')).toBe('tool-json');
    expect(toolFileKind('/ws/.vscode/mcp.json')).toBe('mcp-config');
    expect(toolFileKind('/ws/agents/billing.agent.yaml')).toBe('binding');
    expect(toolFileKind('/ws/policies/schema.cedarschema.json')).toBe('ignored');
    expect(toolFileKind('/ws/.vscode/settings.json')).toBe('ignored');
  });

  it('turns a huge file into an info problem instead of parsing it', () => {
    const r = discoverTools([{ path: '/ws/big.ts', text: `import 'ai';\n${' '.repeat(4_000_001)}` }]);
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'info', file: '/ws/big.ts' })]);
  });

  it('re-exports the config and binding parsers', () => {
    expect(parseMcpConfig('/ws/.mcp.json', '{"mcpServers": {"a": {"command": "x"}}}').config.servers[0].transport).toBe('stdio');
    expect(parseBinding('/ws/a.agent.yaml', 'name: a\n').binding?.name).toBe('a');
  });
});
