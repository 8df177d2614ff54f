import { createHash } from 'node:crypto';
import accessRules from '../../../../policies/access.cedar';
import auditRules from '../../../../policies/audit.cedar';
import credentialRules from '../../../../policies/credentials.cedar';
import identityRules from '../../../../policies/identity.cedar';
import permitRules from '../../../../policies/permits.cedar';
import referenceRules from '../../../../policies/references.cedar';
import toolRules from '../../../../policies/tools.cedar';
import factsSchema from '../../../../policies/governance.cedarschema';
import { codeTokens, unquote } from '../cedar/lexer';
import { parsePolicyFile, type PolicyFileModel, type PolicyStatement } from '../cedar/policyFile';
import { WORKSPACE_RULE_ID_PATTERN } from '../config/configRules';
import type { FrameworkRef, Finding, Severity } from '../findings/finding';
import type { Range } from '../text/range';

/** The facts schema the rules are written against (policies/governance.cedarschema). */
export const FACTS_SCHEMA_TEXT: string = factsSchema;

/** Where the built-in rules are documented, one page per rule id (docs/rules/AGxxx.md). */
export const RULE_DOCS_BASE = 'https://github.com/agentgov/cedar-agent-governance/blob/main/docs/rules/';

/** The built-in rule files, by the name they have in the repository's `policies/` folder. */
export const BUILT_IN_RULE_FILES: Readonly<Record<string, string>> = {
  'policies/tools.cedar': toolRules,
  'policies/references.cedar': referenceRules,
  'policies/identity.cedar': identityRules,
  'policies/credentials.cedar': credentialRules,
  'policies/access.cedar': accessRules,
  'policies/permits.cedar': permitRules,
  'policies/audit.cedar': auditRules,
};

/** What a rule is, from its annotations: one rule id may have several `forbid` policies. */
export interface RuleInfo {
  /** `@rule`, else `@id`: `AG006`. */
  ruleId: string;
  /** `@name`: `long-lived-credential`. */
  name: string;
  severity: Severity;
  frameworks: FrameworkRef[];
  /** The documentation page (`codeDescription.href`). */
  url?: string;
  /** `@why`: why it matters, in one or two sentences (hover). */
  why?: string;
  builtIn: boolean;
}

/** One `forbid` of a rule pack. */
export interface RulePolicy extends RuleInfo {
  /** The id Cedar knows it by (its `@id`, unique in the pack). */
  cedarId: string;
  /** `@message`, with `{attribute}` placeholders filled from the subject. */
  message: string;
  help?: string;
  /** `@at`: which key of the subject the finding goes on (a binding key, a credential key). */
  at?: string;
  file: string;
  text: string;
  range: Range;
}

const SEVERITIES = new Set<Severity>(['error', 'warning', 'info', 'hint']);

/** One file of a rule pack. */
export interface RuleFile {
  file: string;
  text: string;
  builtIn: boolean;
  /** The file already parsed (workspace rule files are). */
  model?: PolicyFileModel;
  /**
   * Whether a statement joins the pack: a workspace rule that Cedar cannot parse, or that does not
   * validate against the facts schema, is left out (its file shows why), so the pack still loads
   * and the other rules, built-in ones among them, keep working.
   */
  usable?: (s: PolicyStatement) => boolean;
}

const WORKSPACE_RULE_ID = new RegExp(WORKSPACE_RULE_ID_PATTERN);

/**
 * A rule pack: Cedar `forbid` policies over the governance facts, each annotated with what its
 * finding says. `id` names its content, so Cedar preparses it once per content.
 */
export class RulePack {
  readonly policies: RulePolicy[] = [];
  /** Annotations that cannot be used (workspace rules): reported on the rule. */
  readonly problems: Finding[] = [];
  readonly id: string;
  /**
   * What Cedar can read of a subject when it judges it with this pack: a subject's verdict is
   * its projection's (evaluate.ts), so subjects alike in these are asked about once.
   */
  readonly reads: FactsRead;
  private readonly byCedarId = new Map<string, RulePolicy>();

  constructor(files: RuleFile[]) {
    const builtInIds = new Set<string>();
    for (const f of files) {
      const model = f.model ?? parsePolicyFile(f.text);
      for (const s of model.statements) {
        const range = model.lines.range(s.effectStart, s.effectEnd);
        if (!f.builtIn && s.effect === 'permit') this.problems.push(permitProblem(f.file, range));
        if (s.effect !== 'forbid' || (f.usable && !f.usable(s))) continue;
        const policy = ruleOf(s, f.file, f.builtIn, range, this.problems);
        if (f.builtIn) builtInIds.add(policy.ruleId);
        else this.problems.push(...idProblems(s, policy, builtInIds));
        if (this.byCedarId.has(policy.cedarId)) policy.cedarId = `${policy.cedarId}#${f.file}:${s.index}`;
        this.byCedarId.set(policy.cedarId, policy);
        this.policies.push(policy);
      }
    }
    this.reads = factsRead(this.policies.map((p) => p.text));
    this.id = `rules-${createHash('sha1')
      .update(this.policies.map((p) => `${p.cedarId}\u0000${p.text}`).join('\u0001'))
      .digest('hex')}`;
  }

  byId(cedarId: string): RulePolicy | undefined {
    return this.byCedarId.get(cedarId);
  }

  /** A policy's position in the pack (findings of one subject are listed in this order). */
  indexOf(cedarId: string): number {
    const p = this.byCedarId.get(cedarId);
    return p ? this.policies.indexOf(p) : this.policies.length;
  }

  /** Each rule id once, in the order of the pack. */
  rules(): RuleInfo[] {
    const seen = new Map<string, RuleInfo>();
    for (const p of this.policies)
      if (!seen.has(p.ruleId))
        seen.set(p.ruleId, {
          ruleId: p.ruleId,
          name: p.name,
          severity: p.severity,
          frameworks: p.frameworks,
          url: p.url,
          why: this.policies.find((x) => x.ruleId === p.ruleId && x.why)?.why,
          builtIn: p.builtIn,
        });
    return [...seen.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
  }
}

function permitProblem(file: string, range: Range): Finding {
  return {
    ruleId: 'agentgov-rules',
    severity: 'warning',
    message:
      'A rule is a `forbid`: it holds for the subjects it matches, and each becomes a finding. This `permit` is not a rule and is ignored.',
    file,
    range,
  };
}

/** A workspace rule's id must be one `rules:` in `.agentgov/config.yaml` can name, and not a built-in one. */
function idProblems(s: PolicyStatement, rule: RulePolicy, builtInIds: Set<string>): Finding[] {
  const problem = (severity: Severity, message: string): Finding => ({
    ruleId: 'agentgov-rules',
    severity,
    message,
    file: rule.file,
    range: rule.range,
  });
  const named = s.annotations.some((a) => a.name === 'rule' || a.name === 'id');
  if (!named)
    return [
      problem(
        'info',
        'This rule has no @id: its findings are named by its file and position, and `.agentgov/config.yaml` cannot name it. Add @id("…").',
      ),
    ];
  if (builtInIds.has(rule.ruleId))
    return [
      problem(
        'warning',
        `Rule id "${rule.ruleId}" belongs to a built-in rule: its findings would be taken for the built-in rule's. Give this rule an id of its own (\`@id("ACME001")\`).`,
      ),
    ];
  if (!WORKSPACE_RULE_ID.test(rule.ruleId))
    return [
      problem(
        'warning',
        `Rule id "${rule.ruleId}" cannot be named in \`.agentgov/config.yaml\`: use a letter, then letters, digits, \`_\`, \`.\` or \`-\`.`,
      ),
    ];
  return [];
}

/** The attribute names a pack may read, and whether it names subjects by id. */
export interface FactsRead {
  /** Every identifier and string of the policies' scopes and conditions: a superset of the attributes read. */
  names: ReadonlySet<string>;
  /** An entity literal other than the `evaluate` action: a verdict may depend on the subject's id. */
  ids: boolean;
}

/**
 * Over-approximates what the policies read of an entity. Cedar reaches an attribute only by
 * name (`.name`, `["name"]`, `has name`, `has "name"`), so every identifier and string of the
 * policies outside their annotations covers them; an entity's id is read only through `==`/`in`
 * with an entity literal, so without one (but the action) the id cannot matter.
 */
export function factsRead(texts: string[]): FactsRead {
  const names = new Set<string>();
  let ids = false;
  for (const text of texts) {
    const tokens = codeTokens(text);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      // `@name("…")`: annotations are not evaluated.
      if (t.text === '@' && tokens[i + 2]?.text === '(' && tokens[i + 4]?.text === ')') {
        i += 4;
        continue;
      }
      if (t.kind === 'ident') names.add(t.text);
      else if (t.kind === 'string') {
        const value = unquote(t.text);
        names.add(value);
        if (tokens[i - 1]?.text === '::' && !(value === 'evaluate' && tokens[i - 2]?.text === 'Action')) ids = true;
      }
    }
  }
  return { names, ids };
}

function ruleOf(s: PolicyStatement, file: string, builtIn: boolean, range: Range, problems: Finding[]): RulePolicy {
  const a = (name: string) => s.annotations.find((x) => x.name === name)?.value;
  const ruleId = a('rule') ?? a('id') ?? `${file}:${s.index}`;
  const severity = (a('severity') ?? 'warning') as Severity;
  if (!SEVERITIES.has(severity))
    problems.push({
      ruleId: 'agentgov-rules',
      severity: 'warning',
      message: `Rule "${ruleId}": @severity("${severity}") is not one of error, warning, info, hint; warning is used.`,
      file,
      range,
    });
  if (!a('message') && !builtIn)
    problems.push({
      ruleId: 'agentgov-rules',
      severity: 'info',
      message: `Rule "${ruleId}" has no @message: its findings say only its id.`,
      file,
      range,
    });
  return {
    ruleId,
    cedarId: s.id,
    name: a('name') ?? ruleId,
    severity: SEVERITIES.has(severity) ? severity : 'warning',
    frameworks: parseFrameworks(a('frameworks') ?? ''),
    message: a('message') ?? `Rule ${ruleId} holds.`,
    help: a('help'),
    at: a('at'),
    why: a('why'),
    url: a('docs') ?? (builtIn ? `${RULE_DOCS_BASE}${ruleId}.md` : undefined),
    builtIn,
    file,
    text: s.text,
    range,
  };
}

/** `@frameworks("OWASP-ASI-2026:ASI02; NIST-AI-RMF:GOVERN 1.6")`. */
export function parseFrameworks(value: string): FrameworkRef[] {
  return value
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf(':');
      return at < 0 ? { framework: part, id: '' } : { framework: part.slice(0, at).trim(), id: part.slice(at + 1).trim() };
    });
}

let builtIn: RulePack | undefined;

/** The rules every workspace is checked with. */
export function builtInRulePack(): RulePack {
  return (builtIn ??= new RulePack(Object.entries(BUILT_IN_RULE_FILES).map(([file, text]) => ({ file, text, builtIn: true }))));
}
