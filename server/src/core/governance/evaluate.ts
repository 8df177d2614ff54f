import { cedarGateway } from '../cedar/gateway';
import { Memo } from '../engine/memo';
import type { Finding } from '../findings/finding';
import { redactSecrets } from '../tools/secrets';
import type { RulePack, RulePolicy } from './rulePack';
import { FACTS_NAMESPACE, type Subject, subjectUid } from './subject';

const EVALUATE = { type: `${FACTS_NAMESPACE}::Action`, id: 'evaluate' };

type Verdict = { holds: string[]; errors: { policyId: string; message: string }[] };

/** Which rules hold for a subject, by rule pack and facts: an edit re-asks Cedar only for subjects whose facts changed. */
const verdicts = new Memo<string, Verdict>('rule verdicts by subject facts', 50_000);

/** The facts and verdict each subject had last (by type and id). */
const lastFacts = new Map<string, { packId: string; attrs: Subject['attrs']; verdict: Verdict }>();

/** Same attributes: the facts are primitives (strings, numbers, booleans). */
function sameAttrs(a: Subject['attrs'], b: Subject['attrs']): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}

/**
 * Asks Cedar, once per subject, which `forbid` rules of the pack hold for it (the pack is
 * preparsed once per content), and turns each into a finding on the subject's range.
 */
export function evaluateRules(pack: RulePack, subjects: Subject[]): Finding[] {
  if (!pack.policies.length) return [];
  const failure = cedarGateway.preparsePolicySet(
    pack.id,
    pack.policies.map((p) => ({ id: p.cedarId, text: p.text, isTemplate: false })),
  );
  if (failure.length) return packFailure(pack, failure.map((e) => e.message).join('; '));
  const findings: Finding[] = [];
  for (const s of subjects) {
    // A subject handed out again by its builder (its facts unchanged) has the findings it had.
    const judged = findingsOfSubject.get(s);
    if (judged?.packId === pack.id) {
      for (const f of judged.findings) findings.push(f);
      continue;
    }
    const from = findings.length;
    const uid = subjectUid(s);
    // Most subjects of an edit have the facts they had: compared attribute by attribute with the
    // last ones of the same uid, which is cheaper than serialising every subject for the memo.
    const uidKey = `${s.type}\u0000${s.id}`;
    const last = lastFacts.get(uidKey);
    let verdict = last && last.packId === pack.id && sameAttrs(last.attrs, s.attrs) ? last.verdict : undefined;
    const entity = { uid, attrs: s.attrs, parents: [] };
    const key = verdict ? '' : verdictKey(pack, s);
    verdict ??= verdicts.get(key);
    if (!verdict) {
      const answer = cedarGateway.authorize(pack.id, { principal: uid, action: EVALUATE, resource: uid, context: {} }, [entity]);
      // Cedar lists the policies that held in no set order: the pack's order keeps output stable.
      verdict =
        'failure' in answer
          ? { holds: [], errors: [{ policyId: '', message: answer.failure.map((e) => e.message).join('; ') }] }
          : { holds: [...answer.reasons].sort((a, b) => pack.indexOf(a) - pack.indexOf(b)), errors: answer.errors };
      verdicts.set(key, verdict);
    }
    if (lastFacts.size > 200_000) lastFacts.clear();
    lastFacts.set(uidKey, { packId: pack.id, attrs: s.attrs, verdict });
    for (const id of verdict.holds) {
      const rule = pack.byId(id);
      if (rule) findings.push(findingOf(rule, s));
    }
    for (const e of verdict.errors) {
      const rule = pack.byId(e.policyId);
      findings.push({
        ruleId: 'agentgov-rules',
        severity: 'warning',
        message: `Rule ${rule?.ruleId ?? e.policyId} could not be decided for ${s.type} "${s.id}": ${e.message}`,
        file: rule?.file ?? s.file,
        range: rule?.range ?? s.range,
      });
    }
    findingsOfSubject.set(s, { packId: pack.id, findings: findings.slice(from) });
  }
  return findings;
}

/** The findings each subject object was given, by the pack that judged it. */
const findingsOfSubject = new WeakMap<Subject, { packId: string; findings: Finding[] }>();

/**
 * What a verdict is remembered by: the subject's type, and its id and attributes as far as the
 * pack can read them (`RulePack.reads`). Most subjects differ only in names the rules never
 * look at (their ids, the tools a permit names for messages), so thousands of subjects come
 * down to a few distinct questions for Cedar.
 */
function verdictKey(pack: RulePack, s: Subject): string {
  const read: Record<string, unknown> = {};
  for (const k of Object.keys(s.attrs).sort()) if (pack.reads.names.has(k)) read[k] = s.attrs[k];
  return `${pack.id}\u0000${s.type}\u0000${pack.reads.ids ? s.id : ''}\u0000${JSON.stringify(read)}`;
}

/** Messages are mostly the same from one edit to the next: their masking is remembered. */
const redactedTexts = new Memo<string, string>('masked rule messages', 20_000);
const redacted = (text: string) => redactedTexts.getOr(text, () => redactSecrets(text));

function findingOf(rule: RulePolicy, s: Subject): Finding {
  const help = rule.help ? fill(rule.help, s) : undefined;
  const at = rule.at ? s.at?.[rule.at] : undefined;
  const place = !at ? { file: s.file, range: s.range } : 'file' in at ? at : { file: s.file, range: at };
  return {
    ruleId: rule.ruleId,
    severity: rule.severity,
    message: redacted(fill(rule.message, s)),
    file: place.file,
    range: place.range,
    ...(help ? { help: redacted(help) } : {}),
    ...(rule.url ? { url: rule.url } : {}),
    ...(s.agent !== undefined ? { agent: s.agent } : {}),
    ...(s.tool !== undefined ? { tool: s.tool } : {}),
    ...(s.policy !== undefined ? { policy: s.policy } : {}),
    ...(rule.frameworks.length ? { frameworks: rule.frameworks } : {}),
    ...(s.related?.length ? { related: s.related } : {}),
  };
}

/** `{name}` → the subject's `name` attribute; braces that name no attribute stay as written. */
function fill(template: string, s: Subject): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const v = s.attrs[name];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : whole;
  });
}

function packFailure(pack: RulePack, message: string): Finding[] {
  const first = pack.policies[0];
  return [
    {
      ruleId: 'agentgov-rules',
      severity: 'error',
      message: `The governance rules could not be loaded into Cedar: ${message}`,
      file: first.file,
      range: first.range,
    },
  ];
}
