import { DEFAULT_RULES_PATH } from './workspace/fileKinds';
import { DEFAULT_MAX_FILE_BYTES } from './workspace/readText';

/** Settings the core honours (the `agentgov.*` settings of package.json). */
export interface Settings {
  /** Absolute path of the schema all policies use; empty: the nearest schema folder upward. */
  schemaFile: string;
  actionNamespace: string;
  resourceType: string;
  maxFileBytes: number;
  /**
   * Folder of the workspace's own governance rules (`*.cedar` over the facts schema), relative to
   * the workspace folder; `rulesPath` in the folder's `.agentgov/config.yaml` wins over it.
   */
  rulesPath: string;
}

export const DEFAULT_SETTINGS: Settings = {
  schemaFile: '',
  actionNamespace: '',
  resourceType: 'McpServer',
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  rulesPath: DEFAULT_RULES_PATH,
};
