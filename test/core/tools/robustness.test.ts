import { describe, expect, it } from 'vitest';
import { discoverTools, parseBinding } from '../../../server/src/core/tools';
import { discover, fixture, names, rangeOf, tool } from './fixtures';

describe('only real SDK call sites count', () => {
  it('ignores a local function named tool', () => {
    expect(discover('not-sdk/local.ts')).toEqual({ tools: [], problems: [] });
  });

  it('ignores a parameter that shadows the imported tool', () => {
    expect(names(discover('not-sdk/shadowed.ts').tools)).toEqual(['realTool']);
  });

  it('never reads files under node_modules', () => {
    const { tools } = discover('node-modules/app.ts', 'node-modules/node_modules/fake-sdk/index.ts');
    expect(names(tools)).toEqual(['app_tool']);
  });

  it('skips declaration files and files that name no SDK', () => {
    expect(
      discoverTools([{ path: '/ws/types.d.ts', text: "import { tool } from 'ai'; declare const t: ReturnType<typeof tool>;" }])
        .tools,
    ).toEqual([]);
    expect(discoverTools([{ path: '/ws/util.ts', text: 'export function tool() {' }])).toEqual({ tools: [], problems: [] });
  });
});

describe('computed names', () => {
  const file = fixture('computed-name/server.ts');
  const { tools, problems } = discover('computed-name/server.ts');

  it('reports names computed at run time, and follows consts and literal concatenation', () => {
    expect(tools.map((t) => [t.name, t.nameKnown])).toEqual([
      ['<computed: `delete_${entity}`>', false],
      ["<computed: TENANT + '_export'>", false],
      ['get_contact', true],
      ['crm_sync', true],
    ]);
    expect(problems.map((p) => [p.code, p.severity])).toEqual([
      ['tool-name-unknown', 'warning'],
      ['tool-name-unknown', 'warning'],
    ]);
    expect(problems[0].range).toEqual(rangeOf(file.text, '`delete_${entity}`'));
  });

  it('the name of a const is located at the call site', () => {
    expect(tool(tools, 'get_contact').nameRange).toEqual(rangeOf(file.text, 'GET_CONTACT', 1));
  });

  it('a server name that is not a literal is left undefined', () => {
    expect(tools.every((t) => t.server === undefined)).toBe(true);
  });
});

describe('syntax errors', () => {
  const file = fixture('syntax-error/server.ts');
  const { tools, problems } = discover('syntax-error/server.ts');

  it('are reported at their position, and the tools around them are still found', () => {
    expect(names(tools)).toEqual(['after_error', 'before_error']);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === 'ts-syntax' && p.severity === 'error')).toBe(true);
    const first = problems[0];
    expect(first.range).toEqual(rangeOf(file.text, 'min'));
    expect(first.message).toMatch(/TypeScript syntax error/);
  });

  it('survive garbage, binary and empty files', () => {
    const r = discoverTools([
      { path: '/ws/a.ts', text: "import { tool } from 'ai'; const x = {{{{ tool( " },
      { path: '/ws/b.ts', text: "import 'ai';\u0000\u0001\u0002" },
      { path: '/ws/c.ts', text: '' },
      { path: '/ws/d.tsx', text: "import { tool } from 'ai'; export const T = () => <div>{tool({})}</div>;" },
    ]);
    expect(new Set(r.problems.map((p) => p.file))).toEqual(new Set(['/ws/a.ts', '/ws/d.tsx']));
    // `.tsx` is parsed as TSX: the call inside JSX is found (its name is unknown: no key).
    expect(r.tools.map((t) => [t.file, t.nameKnown])).toEqual([['/ws/d.tsx', false]]);
  });

  it('deep nesting does not overflow the stack', () => {
    const deep = `import { tool } from 'ai';\nimport { z } from 'zod';\nexport const tools = { deep: tool({ inputSchema: ${'z.array('.repeat(400)}z.string()${')'.repeat(400)} }) };`;
    const r = discoverTools([{ path: '/ws/deep.ts', text: deep }]);
    expect(r.tools[0].name).toBe('deep');
  });
});

describe('UTF-16 positions', () => {
  it('count astral characters as two units, as editors do', () => {
    const text =
      "import { tool } from 'ai';\nconst note = '🚀🚀'; export const tools = { 'émoji_🚀': tool({ description: 'x' }) };";
    const t = discoverTools([{ path: '/ws/u.ts', text }]).tools[0];
    expect(t.name).toBe('émoji_🚀');
    expect(t.nameRange).toEqual(rangeOf(text, "'émoji_🚀'"));
    expect(t.nameRange.end.character - t.nameRange.start.character).toBe(10);
  });
});

describe('CRLF line endings', () => {
  it('give the same positions as LF in TypeScript and YAML', () => {
    const lf = "import { tool } from 'ai';\n\nexport const tools = {\n  ping: tool({ description: 'Ping' }),\n};\n";
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = discoverTools([{ path: '/ws/lf.ts', text: lf }]).tools[0];
    const b = discoverTools([{ path: '/ws/crlf.ts', text: crlf }]).tools[0];
    expect(b.nameRange).toEqual(a.nameRange);
    expect(b.nameRange).toEqual({ start: { line: 3, character: 2 }, end: { line: 3, character: 6 } });
    const y = parseBinding('/ws/a.agent.yaml', 'name: a\r\ntools:\r\n  - get_invoice\r\n');
    expect(y.binding?.tools[0].range).toEqual({ start: { line: 2, character: 4 }, end: { line: 2, character: 15 } });
  });
});
