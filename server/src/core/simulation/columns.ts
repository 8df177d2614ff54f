import type { WorkspaceTool } from '../agents/agentIndex';
import type { AgentBinding } from '../bindings/model';
import { redactSecrets } from '../tools/secrets';
import type { IdentityColumn } from './types';

/**
 * A binding's identity as a reviewer signs it off: identity type and id, each credential's name,
 * type and lifetime. Never a secret: the binding's inline secrets are left out, and anything
 * shown that looks like one is masked (an identity id or a name can hold a pasted token).
 */
export function identityColumn(b: AgentBinding): IdentityColumn {
  return {
    ...(b.identity?.type ? { type: b.identity.type } : {}),
    ...(b.identity?.id !== undefined ? { id: redactSecrets(b.identity.id) } : {}),
    credentials: b.credentials.map((c) => ({
      name: redactSecrets(c.name),
      ...(c.type ? { type: c.type } : {}),
      ...(c.ttlText !== undefined ? { ttl: redactSecrets(c.ttlText) } : {}),
    })),
  };
}

/** Where the agent's tool calls are logged, or `none`; a sink URL with a password in it is masked. */
export function auditColumn(b: AgentBinding): string {
  const sink = b.audit?.sink?.trim();
  return sink ? redactSecrets(sink) : 'none';
}

export function riskColumn(t: WorkspaceTool): { level: string; reason: string } {
  return { level: t.risk.level, reason: t.risk.reason };
}

/** `workload spiffe://…; payments-api: jit-token 15m`: the identity column as one line. */
export function identityText(i: IdentityColumn): string {
  const who = [i.type ?? 'no identity', i.id].filter(Boolean).join(' ');
  const creds = i.credentials.map((c) => `${c.name}: ${[c.type ?? 'untyped', c.ttl].filter(Boolean).join(' ')}`);
  return creds.length ? `${who}; ${creds.join(', ')}` : who;
}
