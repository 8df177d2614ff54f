import type { Finding } from '../findings/finding';
import type { GovernanceService } from '../service';
import type { Range } from '../text/range';

/** One replacement in one file; an insertion has an empty range. */
export interface FixEdit {
  file: string;
  range: Range;
  newText: string;
}

/**
 * One quick fix for one finding: the edits that make the finding go away. A fix may create a
 * file (`creates`): it does not exist yet, and its edits insert its whole text at 0:0, so the
 * LSP layer sends a `CreateFile` before them.
 */
export interface Fix {
  title: string;
  ruleId: string;
  finding: Finding;
  edits: FixEdit[];
  creates?: string[];
  /** The fix an editor applies on "fix this" (at most one per finding). */
  isPreferred?: boolean;
}

/** What the fixes read from the core: the service's read-only answers. */
export type FixContext = Pick<
  GovernanceService,
  'agents' | 'file' | 'findings' | 'filesOf' | 'policyModel' | 'policySet' | 'schemaFor' | 'getSettings' | 'roots' | 'displayPath'
>;
