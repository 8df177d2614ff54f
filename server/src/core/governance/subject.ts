import type { CedarValue } from '../cedar/gateway';
import type { RelatedInformation } from '../findings/finding';
import type { Range } from '../text/range';

/** The entity types of the governance facts (policies/governance.cedarschema). */
export type SubjectType = 'Agent' | 'Credential' | 'Secret' | 'Tool' | 'ToolReference' | 'Permit' | 'Access';

/**
 * One thing the rules judge: its facts as a Cedar entity, and where a finding about it goes.
 * The facts builders make subjects; the evaluator asks Cedar which rules hold for each.
 */
export interface Subject {
  type: SubjectType;
  /** Unique among subjects of its type. */
  id: string;
  attrs: Record<string, CedarValue>;
  file: string;
  /** Where the finding goes by default. */
  range: Range;
  /**
   * Places a rule may ask for by name (`@at("ttl")`): binding keys, a credential's keys, in the
   * subject's file; or another file's range (`@at("permit")`: the determining policy).
   */
  at?: Record<string, Range | { file: string; range: Range }>;
  related?: RelatedInformation[];
  /** What the finding names (CLI JSON). */
  agent?: string;
  tool?: string;
  policy?: string;
}

export const FACTS_NAMESPACE = 'AgentGov';

export function subjectUid(s: Pick<Subject, 'type' | 'id'>): { type: string; id: string } {
  return { type: `${FACTS_NAMESPACE}::${s.type}`, id: s.id };
}
