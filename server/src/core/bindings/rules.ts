/**
 * The constraints on a binding, in one place: the reader checks them and a test checks that
 * `schemas/agent-binding.schema.json` says the same, so the editor's schema validation and
 * the server's cannot drift apart.
 */

export const IDENTITY_TYPES = ['workload', 'human', 'service-account'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

export const CREDENTIAL_TYPES = ['jit-token', 'oidc-federation', 'oauth-refresh-token', 'static-api-key', 'password'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;

/** Keys allowed at each level; anything else is a warning on the key. `$schema` lets JSON files name the schema. */
export const TOP_LEVEL_KEYS = [
  '$schema',
  'name',
  'description',
  'principal',
  'identity',
  'environment',
  'credentials',
  'tools',
  'audit',
  'risk',
] as const;
export const IDENTITY_KEYS = ['type', 'id'] as const;
export const CREDENTIAL_KEYS = ['name', 'type', 'ttl', 'revokeOnTaskEnd', 'secretRef'] as const;
export const AUDIT_KEYS = ['sink'] as const;

/** Required keys per level (missing ones are errors). */
export const REQUIRED_TOP_LEVEL = ['name'] as const;
export const REQUIRED_CREDENTIAL = ['name', 'type'] as const;

/**
 * A duration: units in the order d, h, m, s (`15m`, `1h30m`, `2d`, `3600s`), or bare
 * seconds. The JSON Schema uses this very pattern.
 */
export const DURATION_PATTERN = '^(?:\\d+|(?=\\d)(?:\\d+d)?(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?)$';

/** `Agent::"billing-assistant"`, `Acme::Agent::"x"`: a Cedar entity reference. */
export const ENTITY_REF_PATTERN = '^\\s*((?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*)::"((?:[^"\\\\]|\\\\.)*)"\\s*$';
