import type { AgentBinding } from '../../bindings/model';
import type { McpConfig } from '../../tools/mcpConfigModel';
import type { Subject } from '../subject';

/** One `Secret` subject per literal secret in a binding or an MCP configuration (AG007); values stay masked. */
export function secretSubjects(bindings: AgentBinding[], configs: McpConfig[]): Subject[] {
  const fromBindings = bindings.flatMap((b) =>
    b.credentials.flatMap((c, i) =>
      c.inlineSecrets.map((s, j): Subject => ({
        type: 'Secret',
        id: `${b.file}#credentials[${i}]#${j}`,
        attrs: { area: 'binding', key: s.key, owner: b.name || '(unnamed)', maskedValue: s.maskedValue },
        file: b.file,
        range: s.range,
        agent: b.name,
      })),
    ),
  );
  const fromConfigs = configs.flatMap((cfg) =>
    cfg.servers.flatMap((server) =>
      server.credentials
        .filter((c) => c.valueKind === 'literal')
        .map((c, j): Subject => ({
          type: 'Secret',
          id: `${cfg.file}#${server.name}#${c.location}.${c.key}#${j}`,
          attrs: { area: 'MCP server', key: `${c.location}.${c.key}`, owner: server.name, maskedValue: c.maskedValue },
          file: cfg.file,
          range: c.range,
        })),
    ),
  );
  return [...fromBindings, ...fromConfigs];
}
