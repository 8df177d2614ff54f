import { describe, expect, it } from 'vitest';
import { discoverTools } from '../../../server/src/core/tools';
import { discover, fixture, names, rangeOf, tool } from './fixtures';

/** The tools of one inline TypeScript file. */
function discoverText(text: string) {
  return discoverTools([{ path: '/ws/src/agent.ts', text }]);
}

/** A `tool({...})` call named `name`, built by `callee`. */
function toolCall(callee: string, name: string): string {
  return [
    `export const t = ${callee}({`,
    `  name: '${name}',`,
    `  description: 'Look up a city',`,
    `  parameters: z.object({ city: z.string() }),`,
    `  execute: async ({ city }) => city,`,
    `});`,
  ].join('\n');
}

describe('OpenAI Agents SDK: realtime and the other entry points', () => {
  it('a RealtimeAgent file importing tool from @openai/agents/realtime (the SDK examples)', () => {
    const file = fixture('openai-realtime/voiceAgent.ts');
    const { tools, problems } = discover('openai-realtime/voiceAgent.ts');
    expect(problems).toEqual([]);
    expect(names(tools)).toEqual(['get_weather', 'refund_backchannel']);
    expect(tools.every((t) => t.source === 'openai-agents' && t.nameKnown)).toBe(true);
    expect(tool(tools, 'get_weather')).toMatchObject({ description: 'Return the weather for a city.' });
    expect(tool(tools, 'get_weather').nameRange).toEqual(rangeOf(file.text, "'get_weather'"));
    expect(tool(tools, 'get_weather').input?.fields.map((f) => [f.name, f.type.kind, f.required])).toEqual([
      ['city', 'string', true],
    ]);
    expect(tool(tools, 'refund_backchannel').needsApproval).toBe(true);
  });

  it.each([
    ['import { tool } from @openai/agents-realtime', "import { RealtimeAgent, tool } from '@openai/agents-realtime';", 'tool'],
    ['import * as rt from @openai/agents-realtime', "import * as rt from '@openai/agents-realtime';", 'rt.tool'],
    ['import * as rt from @openai/agents/realtime', "import * as rt from '@openai/agents/realtime';", 'rt.tool'],
    [
      'import { tool as realtimeTool } from @openai/agents/realtime',
      "import { tool as realtimeTool } from '@openai/agents/realtime';",
      'realtimeTool',
    ],
    [
      'import { tool as realtimeTool } from @openai/agents-realtime',
      "import { tool as realtimeTool } from '@openai/agents-realtime';",
      'realtimeTool',
    ],
    ['const { tool } = require(@openai/agents/realtime)', "const { tool } = require('@openai/agents/realtime');", 'tool'],
    ['import { tool } from @openai/agents-extensions', "import { tool } from '@openai/agents-extensions';", 'tool'],
  ])('%s', (_, importLine, callee) => {
    const { tools, problems } = discoverText(
      [importLine, "import { z } from 'zod';", toolCall(callee, 'lookup_city')].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(tools).toEqual([
      expect.objectContaining({ name: 'lookup_city', source: 'openai-agents', description: 'Look up a city', nameKnown: true }),
    ]);
    expect(tools[0].input?.fields.map((f) => f.name)).toEqual(['city']);
  });

  it('a nameless realtime tool is named after its execute function', () => {
    const { tools } = discoverText(
      [
        "import { tool } from '@openai/agents/realtime';",
        "import { z } from 'zod';",
        'export const t = tool({',
        "  description: 'Hang up the call',",
        '  parameters: z.object({}),',
        '  execute: async function hangUp() {},',
        '});',
      ].join('\n'),
    );
    expect(tools.map((t) => [t.name, t.source])).toEqual([['hangUp', 'openai-agents']]);
  });

  it('another subpath counts only for an export named tool, and look-alike packages not at all', () => {
    const { tools } = discoverText(
      [
        "import { toSmartString, tool as t0 } from '@openai/agents/utils';",
        "import { tool as t1 } from '@openai/agents-realtimeish';",
        "import { tool as t2 } from '@openai/agentsx';",
        "import { tool as t3 } from '@openai/agents/';",
        "import { z } from 'zod';",
        "toSmartString({ name: 'not_a_tool', parameters: z.object({}), execute: () => '' });",
        toolCall('t0', 'from_utils'),
        toolCall('t1', 'from_lookalike').replace('export const t ', 'export const u '),
        toolCall('t2', 'from_agentsx').replace('export const t ', 'export const v '),
        toolCall('t3', 'from_empty_subpath').replace('export const t ', 'export const w '),
      ].join('\n'),
    );
    expect(names(tools)).toEqual(['from_utils']);
  });
});
