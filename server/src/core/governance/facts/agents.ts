import type { AgentBinding, CredentialBinding } from '../../bindings/model';
import type { Range } from '../../text/range';
import type { Subject } from '../subject';
import type { GovernanceOptions } from '../options';

/** The fact `sharesX` of each binding: the other agents using the same value. */
function sharing(bindings: AgentBinding[], valuesOf: (b: AgentBinding) => (string | undefined)[]): Map<AgentBinding, string[]> {
  const byValue = new Map<string, AgentBinding[]>();
  for (const b of bindings)
    for (const v of new Set(valuesOf(b).filter((x): x is string => !!x))) byValue.set(v, [...(byValue.get(v) ?? []), b]);
  const out = new Map<AgentBinding, string[]>();
  for (const group of byValue.values()) {
    if (group.length < 2) continue;
    for (const b of group)
      out.set(b, [...new Set([...(out.get(b) ?? []), ...group.filter((o) => o !== b).map((o) => o.name || o.file)])]);
  }
  return out;
}

/** Values that two or more bindings use (each binding counted once per value). */
function sharedValues(bindings: AgentBinding[], valuesOf: (b: AgentBinding) => (string | undefined)[]): Set<string> {
  const users = new Map<string, number>();
  for (const b of bindings)
    for (const v of new Set(valuesOf(b).filter((x): x is string => !!x))) users.set(v, (users.get(v) ?? 0) + 1);
  return new Set([...users].filter(([, n]) => n > 1).map(([v]) => v));
}

const principalKey = (b: AgentBinding) =>
  b.principal?.type && b.principal.id !== undefined
    ? `${b.principal.type}::${JSON.stringify(b.principal.id)}`
    : b.principal?.text.trim();

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** One `Agent` subject per binding (AG004, AG005, AG012). */
export function agentSubjects(bindings: AgentBinding[]): Subject[] {
  const principals = sharing(bindings, (b) => [principalKey(b)]);
  const identities = sharing(bindings, (b) => [b.identity?.id]);
  const credentialRefs = (b: AgentBinding) => b.credentials.map((c) => c.secretRef);
  const credentials = sharing(bindings, credentialRefs);
  const sharedRefs = sharedValues(bindings, credentialRefs);
  return bindings.map((b) => {
    const key = (k: string): Range | undefined => b.keys[k]?.key;
    const shared = [...new Set([...(principals.get(b) ?? []), ...(identities.get(b) ?? []), ...(credentials.get(b) ?? [])])];
    // The credential whose secretRef another agent also uses, not merely the first with a secretRef.
    const sharedCredential = b.credentials.find((c) => c.secretRef !== undefined && sharedRefs.has(c.secretRef));
    return {
      type: 'Agent',
      id: `${b.file}#${b.name}`,
      attrs: {
        name: b.name || '(unnamed)',
        identityType: b.identity?.type ?? (b.identity ? 'unknown' : 'none'),
        hasPrincipal: !!b.principal,
        sharesPrincipal: principals.has(b),
        sharesIdentity: identities.has(b),
        sharesCredential: credentials.has(b),
        sharedWith: quoted(shared),
        toolCount: b.tools.length,
        hasAuditSink: !!b.audit?.sink,
      },
      file: b.file,
      range: b.nameRange,
      at: pick({
        'identity.type': key('identity.type') ?? key('identity'),
        'identity.id': key('identity.id') ?? key('identity'),
        principal: key('principal'),
        credentials: sharedCredential?.keys.secretRef?.key ?? key('credentials'),
        audit: key('audit'),
      }),
      agent: b.name,
    } satisfies Subject;
  });
}

/** One `Credential` subject per credential of each binding (AG006). */
export function credentialSubjects(bindings: AgentBinding[], options: GovernanceOptions): Subject[] {
  return bindings.flatMap((b) =>
    b.credentials.map((c, i): Subject => {
      const k = (name: string) => c.keys[name]?.value ?? c.keys[name]?.key;
      return {
        type: 'Credential',
        id: `${b.file}#${b.name}#${i}`,
        attrs: {
          agent: b.name || '(unnamed)',
          name: c.name || `credentials[${i}]`,
          type: c.type ?? 'unknown',
          hasTtl: c.ttlSeconds !== undefined,
          ttlSeconds: c.ttlSeconds ?? 0,
          maxTtlSeconds: options.maxCredentialTtlSeconds,
          ttlText: c.ttlText ?? '',
          maxTtlText: options.maxCredentialTtlText,
          revokeOnTaskEnd: c.revokeOnTaskEnd === true,
        },
        file: b.file,
        range: credentialRange(c),
        at: pick({ type: k('type'), ttl: k('ttl'), name: k('name'), revokeOnTaskEnd: k('revokeOnTaskEnd') ?? k('name') }),
        agent: b.name,
      };
    }),
  );
}

function credentialRange(c: CredentialBinding): Range {
  return c.keys.name?.key ?? c.range;
}

/** Only the ranges that exist. */
function pick(ranges: Record<string, Range | undefined>): Record<string, Range> {
  return Object.fromEntries(Object.entries(ranges).filter((e): e is [string, Range] => !!e[1]));
}
