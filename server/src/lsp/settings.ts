import type { Connection } from 'vscode-languageserver/node';
import type { Settings } from '../core/settings';
import { DEFAULT_SETTINGS } from '../core/settings';

/** The `agentgov` section as the client sends it. */
interface ClientSettings {
  schemaFile?: string;
  actionNamespace?: string;
  resourceType?: string;
  diagnosticsDelay?: number;
  maxFileSize?: number;
  rulesPath?: string;
}

export interface ServerSettings extends Settings {
  diagnosticsDelay: number;
}

/** Reads settings per workspace folder, cached as promises until the client says they changed. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<ServerSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly supported: () => boolean,
  ) {}

  get(scopeUri: string | undefined): Promise<ServerSettings> {
    const key = scopeUri ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = this.fetch(scopeUri);
      this.cache.set(key, p);
    }
    return p;
  }

  clear(): void {
    this.cache.clear();
  }

  private async fetch(scopeUri: string | undefined): Promise<ServerSettings> {
    let raw: ClientSettings = {};
    if (this.supported()) {
      try {
        raw =
          ((await this.connection.workspace.getConfiguration({ scopeUri, section: 'agentgov' })) as ClientSettings | null) ?? {};
      } catch {
        raw = {};
      }
    }
    return {
      ...DEFAULT_SETTINGS,
      schemaFile: typeof raw.schemaFile === 'string' ? raw.schemaFile : DEFAULT_SETTINGS.schemaFile,
      actionNamespace: typeof raw.actionNamespace === 'string' ? raw.actionNamespace : DEFAULT_SETTINGS.actionNamespace,
      resourceType: typeof raw.resourceType === 'string' && raw.resourceType ? raw.resourceType : DEFAULT_SETTINGS.resourceType,
      maxFileBytes:
        typeof raw.maxFileSize === 'number' && raw.maxFileSize > 0
          ? raw.maxFileSize * 1024 * 1024
          : DEFAULT_SETTINGS.maxFileBytes,
      rulesPath: typeof raw.rulesPath === 'string' && raw.rulesPath.trim() ? raw.rulesPath.trim() : DEFAULT_SETTINGS.rulesPath,
      diagnosticsDelay: typeof raw.diagnosticsDelay === 'number' && raw.diagnosticsDelay >= 0 ? raw.diagnosticsDelay : 200,
    };
  }
}
