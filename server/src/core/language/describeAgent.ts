import type { AgentBinding } from '../bindings/model';
import { formatDuration } from '../bindings/duration';
import type { AgentView } from '../agents/agentIndex';
import type { Range } from '../text/range';

/** Bindings whose principal is this entity (`Platform::Agent::"billing-assistant"`). */
export function bindingsOfPrincipal(index: AgentView, type: string, id: string): AgentBinding[] {
  return index.bindings().filter((b) => b.principal?.type === type && b.principal.id === id);
}

/** Markdown for the agent identity behind a principal: identity, credentials, tools, audit. */
export function describeAgent(b: AgentBinding, where: (loc: { file: string; range: Range }) => string): string {
  const lines = [`**Agent** \`${b.name}\`${b.description ? ` — ${b.description}` : ''}`];
  lines.push(
    `Identity: ${b.identity?.type ?? '**none**'}${b.identity?.id ? ` \`${b.identity.id}\`` : ''}${b.environment ? ` (${b.environment})` : ''}`,
  );
  if (b.credentials.length) {
    const creds = b.credentials.map(
      (c) =>
        `\`${c.name}\` ${c.type ?? '?'}${c.ttlSeconds !== undefined ? `, ttl ${formatDuration(c.ttlSeconds)}` : ''}${c.revokeOnTaskEnd ? ', revoked at task end' : ''}`,
    );
    lines.push(`Credentials: ${creds.join('; ')}`);
  }
  lines.push(`Tools: ${b.tools.length ? b.tools.map((t) => `\`${t.ref}\``).join(', ') : 'none'}`);
  lines.push(`Audit: ${b.audit?.sink ? `\`${b.audit.sink}\`` : '**none**'}`);
  lines.push(`Bound in ${where({ file: b.file, range: b.nameRange })}`);
  return lines.join('\n\n');
}
