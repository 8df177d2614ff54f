import { duplicateIdFindings } from '../findings/duplicateIds';
import type { WorkspacePass } from './workspacePass';

/** `@id`s used by more than one policy: Cedar cannot hold both in one policy set. */
export const duplicateIdsPass: WorkspacePass = {
  name: 'duplicate-ids',
  run: (ctx) =>
    duplicateIdFindings(
      ctx
        .policyFiles()
        .map((file) => ({ file, model: ctx.cedar.policyModel(file)! }))
        .filter((f) => f.model),
    ),
};
