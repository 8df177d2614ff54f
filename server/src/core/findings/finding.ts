import type { Range } from '../text/range';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** The rule ids of Cedar's own errors (SPEC §9); governance rules use `AG001`… */
export type CedarRuleId = 'cedar-parse' | 'cedar-schema' | 'cedar-validation' | 'cedar-warning';

export interface FrameworkRef {
  framework: string;
  id: string;
}

export interface RelatedInformation {
  file: string;
  range: Range;
  message: string;
}

/**
 * One problem found in the workspace, on an exact range of one file. `file` is an absolute
 * path; the CLI makes it relative. The LSP layer turns findings into diagnostics.
 */
export interface Finding {
  ruleId: CedarRuleId | string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  /** "Did you mean …" and other help from Cedar or a rule's fix hint. */
  help?: string;
  /** Documentation link (LSP `codeDescription.href`). */
  url?: string;
  agent?: string;
  tool?: string;
  policy?: string;
  frameworks?: FrameworkRef[];
  related?: RelatedInformation[];
  /** Diagnostic tags: code that can never apply. */
  unnecessary?: boolean;
  /**
   * Set when an `agentgov-ignore` comment covers the finding (findings/suppressions.ts): the
   * editor does not show it; the CLI's JSON and SARIF keep it, with the comment's reason.
   */
  suppressed?: { reason: string };
}
