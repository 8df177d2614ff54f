import { entitiesValue } from '../cedar/entitiesFile';
import type { GovernanceService } from '../service';
import { type SaveAsTestError, type SavedTest, saveAsTest, schemaFileOf, type TestSetup } from './saveAsTest';
import type { SimulationRequest } from './types';

export type SaveView = Pick<GovernanceService, 'simulate' | 'policySet' | 'filesOf' | 'file' | 'schemaFor'>;

/** The workspace's policies, entities and schema as a test file names them. */
function setupOf(view: SaveView): Omit<TestSetup, 'schemaFile'> {
  const policyFiles = [...new Set(view.policySet().policies.map((p) => p.file))].sort();
  const entityFiles = view.filesOf('entities');
  const entities: TestSetup['entities'] =
    entityFiles.length === 1
      ? { file: entityFiles[0] }
      : { inline: entityFiles.flatMap((f) => entitiesValue(view.file(f)?.text ?? '') ?? []) };
  return { policyFiles, entities };
}

/**
 * Decides the request again now (the expectation is what Cedar answers with the current files,
 * not what an older result showed) and saves it into `testFile`: appended when the workspace
 * holds that file, else as a new file.
 */
export function saveSimulationAsTest(
  view: SaveView,
  request: SimulationRequest,
  testFile: string,
  description?: string,
): SavedTest | SaveAsTestError {
  const result = view.simulate(request);
  if (!result.ok) return { error: result.error.message };
  const schema = view.schemaFor(result.tool?.file ?? result.agent?.file ?? view.policySet().policies[0]?.file ?? '');
  const setup = { ...setupOf(view), schemaFile: schemaFileOf(result, schema) };
  return saveAsTest(testFile, view.file(testFile)?.text, result, setup, description?.trim() || undefined);
}
