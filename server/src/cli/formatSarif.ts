import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInRulePack, type RuleInfo } from '../core/governance';
import { describeRef } from '../core/governance/frameworks/catalog';
import type { FrameworkRef, RelatedInformation } from '../core/findings/finding';
import type { CheckReport, JsonFinding } from './findingsJson';

/**
 * SARIF 2.1.0 (OASIS, errata 01) for code-scanning services: one run whose driver documents every
 * built-in governance rule and every other rule a result names (`ruleIndex` points into it), and
 * results with 1-based regions relative to `%SRCROOT%` (the checked folder).
 */

const INFORMATION_URI = 'https://github.com/agentgov/cedar-agent-governance';
const SRCROOT = '%SRCROOT%';
const FINGERPRINT = 'agentgovFinding/v1';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<string, Level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** GitHub code scanning ranks security alerts by this 0–10 score: high, medium, low. */
const SECURITY_SEVERITY: Record<Level, string> = { error: '8.0', warning: '5.0', note: '2.0' };

/** What a result may carry beyond SPEC §9's JSON: read when present, never required. */
type SarifFinding = JsonFinding & {
  url?: string;
  related?: RelatedInformation[];
  suppressed?: { reason: string };
};

interface RuleText {
  name: string;
  short: string;
  full: string;
  help: string;
  level: Level;
  url?: string;
  tags: string[];
}

/** Cedar's own checks (SPEC §9) and the problems agentgov's readers report, which no rule pack defines. */
const FIXED_RULES: Record<string, RuleText> = {
  'cedar-parse': {
    name: 'cedar-parse',
    short: 'Cedar syntax error',
    full: 'A Cedar policy or entities file does not parse, so nothing in it takes effect: a broken policy permits and forbids nothing.',
    help: 'Fix the syntax at the reported position (Cedar says what it expected there), then check again.',
    level: 'error',
    url: 'https://docs.cedarpolicy.com/policies/syntax-policy.html',
    tags: ['cedar'],
  },
  'cedar-schema': {
    name: 'cedar-schema',
    short: 'Cedar schema error',
    full: 'A Cedar schema does not parse or is inconsistent (an undeclared type, a duplicate declaration), so the policies it covers cannot be validated.',
    help: 'Fix the schema at the reported position; the policies are validated again once it is sound.',
    level: 'error',
    url: 'https://docs.cedarpolicy.com/schema/schema.html',
    tags: ['cedar'],
  },
  'cedar-validation': {
    name: 'cedar-validation',
    short: 'Cedar validation error',
    full: 'A Cedar policy or entity does not validate against its schema (an unknown entity type, action or attribute, a type error, a duplicate policy id): Cedar would reject or misread it at run time.',
    help: 'Correct the name or expression Cedar points at (it often suggests the intended one), or declare it in the schema.',
    level: 'error',
    url: 'https://docs.cedarpolicy.com/policies/validation.html',
    tags: ['cedar'],
  },
  'cedar-warning': {
    name: 'cedar-warning',
    short: 'Cedar warning',
    full: "Cedar's validator warns about a policy or schema: it is valid, but likely not what was meant (for example, confusable identifiers or a condition that is always false).",
    help: 'Read the warning and rewrite the policy or schema so that it says what it means.',
    level: 'warning',
    url: 'https://docs.cedarpolicy.com/policies/validation.html',
    tags: ['cedar'],
  },
  'agentgov-binding': {
    name: 'agentgov-binding',
    short: 'Invalid identity binding',
    full: 'An agent identity binding (`*.agent.yaml`, `*.agent.json`) cannot be read or breaks its schema, so the agent, its identity and its tools are unknown to the governance rules.',
    help: 'Fix the binding at the reported position so that it matches schemas/agent-binding.schema.json.',
    level: 'error',
    tags: ['configuration'],
  },
  'agentgov-mcp-config': {
    name: 'agentgov-mcp-config',
    short: 'Invalid MCP configuration',
    full: 'An MCP client configuration (`.vscode/mcp.json`, `.mcp.json`) cannot be read or has an unexpected shape, so its servers and credentials are not checked.',
    help: 'Fix the configuration at the reported position.',
    level: 'warning',
    tags: ['configuration'],
  },
  'agentgov-tools': {
    name: 'agentgov-tools',
    short: 'Unreadable tool definition',
    full: 'A tool definition (MCP tool list, OpenAI function JSON, SDK tool code) cannot be read completely, so the tool may be missing from the governance checks.',
    help: 'Fix the definition at the reported position (a tool needs a literal name to be governed).',
    level: 'warning',
    tags: ['configuration'],
  },
  'agentgov-limit': {
    name: 'agentgov-limit',
    short: 'Check limit reached',
    full: 'A file is too large, too deeply nested or has too many findings: part of it was not checked or not reported.',
    help: 'Fix the findings reported first, or split the file; the rest is checked once it is within the limits.',
    level: 'warning',
    tags: ['configuration'],
  },
  'agentgov-internal': {
    name: 'agentgov-internal',
    short: 'File could not be checked',
    full: 'agentgov failed while checking a file, so its findings are missing from this run.',
    help: 'Report the message to the agentgov maintainers with the file, if you can share it.',
    level: 'error',
    tags: ['configuration'],
  },
  'agentgov-suppression': {
    name: 'agentgov-suppression',
    short: 'Suppression comment problem',
    full: 'An `agentgov-ignore` comment gives no reason, names no rule, or suppresses nothing (no finding of that rule starts on its line or the next), so it hides nothing or hides it without saying why.',
    help: 'Write `agentgov-ignore <rule id>: <reason>` on the line of the finding or on the line just above it; remove suppressions that no longer suppress anything.',
    level: 'warning',
    url: 'https://github.com/agentgov/cedar-agent-governance/blob/main/docs/rules/README.md#suppressing-a-finding',
    tags: ['configuration'],
  },
  'agentgov-rules': {
    name: 'agentgov-rules',
    short: 'Governance rule problem',
    full: 'A governance rule cannot be used as written (an unknown annotation value, a rule Cedar cannot evaluate), so it may not fire when it should.',
    help: 'Fix the rule at the reported position (its annotations and conditions), or disable it in .agentgov/config.yaml.',
    level: 'warning',
    tags: ['configuration'],
  },
};

/** Rule pack messages are templates (`Tool "{name}" …`): a rule's description shows them with `…` for the subject. */
function generic(template: string): string {
  return template.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}[A-Za-z]*/g, '…').replace(/…\./g, '…');
}

/** `tool-without-policy` → `Tool without policy`. */
function humanize(name: string): string {
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function frameworkTag(ref: FrameworkRef): string {
  return ref.id ? `${ref.framework}/${ref.id}` : ref.framework;
}

function uniqueFrameworks(refs: FrameworkRef[]): FrameworkRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(frameworkTag(r)) && !!seen.add(frameworkTag(r)));
}

/** A governance rule as its policies describe it: every distinct message and fix of its `forbid`s. */
function packRuleText(rule: RuleInfo): RuleText {
  const policies = builtInRulePack().policies.filter((p) => p.ruleId === rule.ruleId);
  const distinct = (xs: (string | undefined)[]) =>
    [...new Set(xs.filter((x): x is string => !!x).map(generic))].filter((x) => /[A-Za-z]/.test(x));
  const messages = distinct(policies.map((p) => p.message));
  const helps = distinct(policies.map((p) => p.help));
  const title = humanize(rule.name);
  return {
    name: rule.name,
    short: title,
    full: `${title}. ${messages.length > 1 ? messages.map((m, i) => `(${i + 1}) ${m}`).join(' ') : (messages[0] ?? '')}`.trim(),
    help: helps.length
      ? helps.join(' ')
      : 'Follow the fix the finding suggests; the rule documentation explains what the rule checks and why.',
    level: LEVEL[rule.severity] ?? 'warning',
    url: rule.url,
    tags: ['governance', ...rule.frameworks.map(frameworkTag)],
  };
}

/** A rule only results name (a workspace rule, a new reader): described from its findings. */
function adHocRuleText(ruleId: string, findings: SarifFinding[]): RuleText {
  const first = findings[0];
  const frameworks = uniqueFrameworks(findings.flatMap((f) => f.frameworks ?? []));
  return {
    name: ruleId,
    short: `Rule ${ruleId}`,
    full: `Findings of rule ${ruleId}${first ? `, such as: ${first.message}` : '.'}`,
    help: first?.help ?? 'See the message of each finding.',
    level: LEVEL[first?.severity ?? 'warning'] ?? 'warning',
    url: findings.find((f) => f.url)?.url,
    tags: frameworks.map(frameworkTag),
  };
}

function sarifRule(id: string, text: RuleText, frameworks: FrameworkRef[]) {
  const mapped = frameworks.map(describeRef);
  const helpText = [
    text.help,
    ...(mapped.length ? [`Frameworks: ${mapped.join('; ')}.`] : []),
    ...(text.url ? [`Documentation: ${text.url}`] : []),
  ].join('\n\n');
  const helpMarkdown = [
    `**${id} ${text.name}**: ${text.full}`,
    `**How to fix:** ${text.help}`,
    ...(mapped.length ? [`**Frameworks:**\n\n${mapped.map((m) => `- ${m}`).join('\n')}`] : []),
    ...(text.url ? [`[Documentation](${text.url})`] : []),
  ].join('\n\n');
  return {
    id,
    name: text.name,
    shortDescription: { text: text.short },
    fullDescription: { text: text.full },
    ...(text.url ? { helpUri: text.url } : {}),
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: text.level },
    properties: {
      tags: ['security', ...text.tags],
      ...(frameworks.length ? { frameworks } : {}),
      'security-severity': SECURITY_SEVERITY[text.level],
      precision: 'high',
    },
  };
}

/** Every built-in governance rule (so the run documents them all), then the other rules results name. */
function buildRules(findings: SarifFinding[]): ReturnType<typeof sarifRule>[] {
  const pack = builtInRulePack().rules();
  const packIds = new Set(pack.map((r) => r.ruleId));
  const rules = pack.map((r) => sarifRule(r.ruleId, packRuleText(r), r.frameworks));
  const others = [...new Set(findings.map((f) => f.ruleId))].filter((id) => !packIds.has(id)).sort();
  for (const id of others) {
    const fixed = FIXED_RULES[id];
    const own = findings.filter((f) => f.ruleId === id);
    rules.push(
      fixed
        ? sarifRule(id, fixed, [])
        : sarifRule(id, adHocRuleText(id, own), uniqueFrameworks(own.flatMap((f) => f.frameworks ?? []))),
    );
  }
  return rules;
}

/** A relative path as a URI reference under `%SRCROOT%`; an absolute one as a `file:` URI. */
function artifactLocation(file: string) {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function physicalLocation(file: string, range: JsonFinding['range']) {
  return {
    artifactLocation: artifactLocation(file),
    region: {
      startLine: range.start.line + 1,
      startColumn: range.start.character + 1,
      endLine: range.end.line + 1,
      endColumn: range.end.character + 1,
    },
  };
}

/** SARIF 2.1.0, as code-scanning services read it (1-based lines and columns). */
export function formatSarif(report: CheckReport, version: string): string {
  const findings = report.findings as SarifFinding[];
  const rules = buildRules(findings);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const results = findings.map((f) => {
    const hash = createHash('sha256').update(`${f.ruleId}\u0000${f.file}\u0000${f.message}`).digest('hex').slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    const frameworks = f.frameworks ?? [];
    const properties = {
      ...(frameworks.length ? { frameworks, tags: frameworks.map(frameworkTag) } : {}),
      ...(f.agent !== undefined ? { agent: f.agent } : {}),
      ...(f.tool !== undefined ? { tool: f.tool } : {}),
      ...(f.policy !== undefined ? { policy: f.policy } : {}),
    };
    return {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: LEVEL[f.severity] ?? 'note',
      message: {
        text: f.help ? `${f.message} (${f.help})` : f.message,
        ...(f.help ? { markdown: `${f.message}\n\n${f.help}` } : {}),
      },
      locations: [{ physicalLocation: physicalLocation(f.file, f.range) }],
      ...(f.related?.length
        ? {
            relatedLocations: f.related.map((r, i) => ({
              id: i + 1,
              message: { text: r.message },
              physicalLocation: physicalLocation(r.file, r.range),
            })),
          }
        : {}),
      partialFingerprints: { [FINGERPRINT]: `${hash}:${occurrence}` },
      ...(f.suppressed
        ? { suppressions: [{ kind: 'inSource', ...(f.suppressed.reason ? { justification: f.suppressed.reason } : {}) }] }
        : {}),
      ...(Object.keys(properties).length ? { properties } : {}),
    };
  });
  const sarif = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'agentgov',
            fullName: 'Cedar Agent Governance',
            informationUri: INFORMATION_URI,
            version,
            semanticVersion: version,
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The folder agentgov checked.' } } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
