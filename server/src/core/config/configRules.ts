/**
 * What `.agentgov/config.yaml` may say, in one place: the reader checks it, completion and hover
 * offer and explain it, and a test checks that `schemas/agentgov-config.schema.json` says the
 * same, so the YAML extension's validation and the server's cannot drift apart.
 */
import { DURATION_PATTERN } from '../bindings/rules';

/** A rule's new level: `off` silences it, a severity re-levels it. */
export const RULE_LEVELS = ['off', 'error', 'warning', 'info', 'hint'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

/** Keys of the file and of `risk:`, each with what it means (completion and hover say it). */
export const CONFIG_KEYS = {
  rules:
    'Turns governance rules off or changes their severity, by rule id: `AG008: off`, `AG012: error`. Applies to the built-in rules (AG001–AG013) and the workspace rules of `rulesPath` (named by their `@id`).',
  maxCredentialTtl:
    'The longest a credential may live (AG006), as a duration: `15m`, `1h`, `1h30m`, `2d`, or a number of seconds. Default `1h`.',
  risk: "Words that decide a tool's risk class (AG011, AG013): `highRiskKeywords` and `readOnlyVerbs` are added to the defaults, or replace them with `replaceDefaults: true`.",
  rulesPath:
    "Folder of the workspace's own rules (`*.cedar` over the governance facts), relative to the workspace folder. Wins over the `agentgov.rulesPath` setting. Default `.agentgov/rules`.",
} as const;

export const RISK_KEYS = {
  highRiskKeywords:
    'Words that make a tool high-risk when its name (or, without a read-only hint, its description) uses them: `wire`, `approve`. Matched against single words of the name (`wire_funds` → wire, funds) and their inflections (wires, wired, wiring).',
  readOnlyVerbs:
    "Verbs that, leading a tool's name, mark it as a read: the risk words after them name what is read (`query_refunds` with `query`).",
  replaceDefaults:
    '`true`: the two lists above replace the default lists instead of adding to them (an empty or missing list then means none).',
} as const;

export type ConfigKey = keyof typeof CONFIG_KEYS;
export type RiskKey = keyof typeof RISK_KEYS;

/** The duration `maxCredentialTtl` takes (the same as a binding's `ttl`). */
export const CONFIG_DURATION_PATTERN = DURATION_PATTERN;

/**
 * Ids a workspace rule may have (`@id`/`@rule`) to be named in `rules:`: a letter, then
 * letters, digits, `_`, `.` or `-` (`ACME001`, `acme.no-prod-deploy`).
 */
export const WORKSPACE_RULE_ID_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]*$';

/** A risk keyword is matched against one word of a name: lower-case letters and digits only. */
export const RISK_KEYWORD_PATTERN = '^[A-Za-z0-9]+$';
