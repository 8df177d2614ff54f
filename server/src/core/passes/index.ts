import { duplicateIdsPass } from './duplicateIdsPass';
import { governancePass } from './governancePass';
import type { WorkspacePass } from './workspacePass';

export type { PassContext, WorkspacePass } from './workspacePass';

/** Every workspace-wide pass, in the order their findings are listed. Adding one is adding it here. */
export const WORKSPACE_PASSES: readonly WorkspacePass[] = [duplicateIdsPass, governancePass];
