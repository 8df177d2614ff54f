import type { AgentIndex } from '../agents/agentIndex';
import type { CedarIndex } from '../cedar/cedarIndex';
import type { Finding } from '../findings/finding';
import type { GovernanceRules } from '../governance/workspaceRules';
import type { WorkspacePolicySet } from '../policies/policySet';
import type { Settings } from '../settings';

/** What a workspace-wide pass may read: every query it reads becomes its dependency. */
export interface PassContext {
  policyFiles(): string[];
  policySet(): WorkspacePolicySet;
  cedar: CedarIndex;
  agents: AgentIndex;
  displayPath(path: string): string;
  /** The settings that apply to a file (its folder's). */
  settingsFor(path: string): Readonly<Settings>;
  /** Every entity of the workspace's entities files that parse, as Cedar takes them. */
  entities(): unknown[];
  /** Each folder's rule pack and configuration (`.agentgov/rules/`, `.agentgov/config.yaml`). */
  rules: GovernanceRules;
}

/**
 * A check over the whole workspace (duplicate policy ids, the governance rules). Its
 * findings are handed to each file through the engine: a file's findings read the pass, and
 * when a re-run gives the same findings for a file, that file is not re-published.
 */
export interface WorkspacePass {
  name: string;
  run(ctx: PassContext): Map<string, Finding[]>;
}
