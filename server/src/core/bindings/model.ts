import type { Range } from '../text/range';
import type { RiskLevel } from '../tools/risk';
import type { CredentialType, IdentityType } from './rules';

/** The ranges of one key of a binding and of its value. */
export interface KeyRanges {
  key: Range;
  value: Range;
}

/** An agent identity binding (`*.agent.yaml|yml|json`, SPEC §5). */
export interface AgentBinding {
  file: string;
  /** Empty when missing (a problem is reported then). */
  name: string;
  /** The `name` value, or the start of the document when `name` is missing. */
  nameRange: Range;
  description?: string;
  principal?: PrincipalRef;
  identity?: IdentityBinding;
  environment?: string;
  credentials: CredentialBinding[];
  tools: ToolRef[];
  audit?: AuditBinding;
  /** `risk:` overrides of tools' risk classes. */
  risk: RiskOverride[];
  /** The whole document. */
  range: Range;
  /**
   * Key and value ranges by path (`name`, `identity.type`, `credentials[0].ttl`, `tools[1]`), so
   * a finding can be placed on the offending key.
   */
  keys: Record<string, KeyRanges>;
}

/** `principal: Agent::"billing-assistant"`; `type`/`id` when it is a Cedar entity reference. */
export interface PrincipalRef {
  text: string;
  type?: string;
  id?: string;
  range: Range;
}

export interface IdentityBinding {
  /** Only a valid value (`workload`, `human`, `service-account`); another is a problem. */
  type?: IdentityType;
  id?: string;
  range: Range;
}

/** A value that looks like a secret written into the binding itself (shown masked only). */
export interface InlineSecret {
  key: string;
  maskedValue: string;
  range: Range;
}

export interface CredentialBinding {
  name: string;
  /** Only a valid credential type; another is a problem. */
  type?: CredentialType;
  ttlSeconds?: number;
  /** The `ttl` as written (`15m`, `3600`). */
  ttlText?: string;
  revokeOnTaskEnd?: boolean;
  /** A reference such as `vault://…`; a literal secret goes to `inlineSecrets` instead, masked. */
  secretRef?: string;
  inlineSecrets: InlineSecret[];
  range: Range;
  /** Ranges of this credential's keys by key name (`ttl`, `type`, …). */
  keys: Record<string, KeyRanges>;
}

/** An entry of `tools:`: `payments/create_refund` or a bare `get_invoice`. */
export interface ToolRef {
  ref: string;
  server?: string;
  tool: string;
  range: Range;
}

export interface AuditBinding {
  sink?: string;
  range: Range;
}

/** `risk: { "payments/create_refund": high }`. */
export interface RiskOverride extends ToolRef {
  level: RiskLevel;
  keyRange: Range;
}
