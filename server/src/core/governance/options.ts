import { parseDuration } from '../bindings/duration';

/** What the rules are parameterised by (`.agentgov/config.yaml`, SPEC §6). */
export interface GovernanceOptions {
  /** Credentials living longer than this fire AG006 (default one hour). */
  maxCredentialTtlSeconds: number;
  maxCredentialTtlText: string;
}

export const DEFAULT_MAX_CREDENTIAL_TTL = '1h';

export function governanceOptions(maxCredentialTtl = DEFAULT_MAX_CREDENTIAL_TTL): GovernanceOptions {
  const seconds = parseDuration(maxCredentialTtl);
  return seconds === undefined
    ? { maxCredentialTtlSeconds: 3600, maxCredentialTtlText: DEFAULT_MAX_CREDENTIAL_TTL }
    : { maxCredentialTtlSeconds: seconds, maxCredentialTtlText: maxCredentialTtl };
}
