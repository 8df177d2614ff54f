import { runGovernance } from '../governance';
import type { WorkspacePass } from './workspacePass';

/** The governance rules (SPEC §6): facts about agents, tools and policies, judged by the rule pack in Cedar. */
export const governancePass: WorkspacePass = {
  name: 'governance',
  run: (ctx) => runGovernance(ctx),
};
