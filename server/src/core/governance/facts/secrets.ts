import type { AgentBinding } from '../../bindings/model';
import type { McpConfig } from '../../tools/mcpConfigModel';
import type { SecretLiteral } from '../../tools/model';
import type { Subject } from '../subject';

/** One `Secret` subject per literal secret in a binding, an MCP configuration or tool code (AG007); values stay masked. */
export function secretSubjects(bindings: AgentBinding[], configs: McpConfig[], inCode: SecretLiteral[] = []): Subject[] {
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
  const fromCode = inCode.map((s): Subject => ({
    type: 'Secret',
    id: `${s.file}#${s.range.start.line}:${s.range.start.character}`,
    attrs: { area: 'tool code', key: s.key, owner: baseName(s.file), maskedValue: s.maskedValue },
    file: s.file,
    range: s.range,
  }));
  return [...fromBindings, ...fromConfigs, ...fromCode];
}

/** `tools/stripe.ts` → `stripe.ts`: the owner of a secret in code, as messages name it. */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
