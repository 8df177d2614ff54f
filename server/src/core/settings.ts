import { DEFAULT_MAX_FILE_BYTES } from './workspace/readText';

/** Settings the core honours (the `agentgov.*` settings of package.json). */
export interface Settings {
  /** Absolute path of the schema all policies use; empty: the nearest schema folder upward. */
  schemaFile: string;
  actionNamespace: string;
  resourceType: string;
  maxFileBytes: number;
}

export const DEFAULT_SETTINGS: Settings = {
  schemaFile: '',
  actionNamespace: '',
  resourceType: 'McpServer',
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
};
