import type { AgentIndex } from '../agents/agentIndex';
import type { CedarIndex } from '../cedar/cedarIndex';
import type { Finding } from '../findings/finding';
import type { WorkspacePolicySet } from '../policies/policySet';

/** What a workspace-wide pass may read: every query it reads becomes its dependency. */
export interface PassContext {
  policyFiles(): string[];
  policySet(): WorkspacePolicySet;
  cedar: CedarIndex;
  agents: AgentIndex;
  displayPath(path: string): string;
}

/**
 * A check over the whole workspace (duplicate ids today; the governance rules next). Its
 * findings are handed to each file through the engine: a file's findings read the pass, and
 * when a re-run gives the same findings for a file, that file is not re-published.
 */
export interface WorkspacePass {
  name: string;
  run(ctx: PassContext): Map<string, Finding[]>;
}
