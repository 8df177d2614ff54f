import { isAbsolute, join } from 'node:path';
import type { Engine } from '../engine';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { isInside } from './paths';

/**
 * Settings per workspace folder (they are `resource`-scoped): an engine input per folder, so
 * what reads a folder's settings is re-checked when they change, and only that.
 */
export class SettingsStore {
  constructor(
    private readonly engine: Engine,
    private readonly roots: () => string[],
  ) {}

  /** Sets one folder's settings (or every folder's, without `root`); answers the inputs that changed. */
  set(settings: Partial<Settings>, root?: string): string[] {
    const changed: string[] = [];
    for (const r of root === undefined ? ['', ...this.roots()] : [root]) {
      const next = { ...(this.engine.input<Settings>(`settings:${r}`) ?? this.defaults()), ...settings };
      if (this.engine.setInput(`settings:${r}`, next, (a, b) => JSON.stringify(a) === JSON.stringify(b)))
        changed.push(`settings:${r}`);
    }
    return changed;
  }

  private defaults(): Settings {
    return this.engine.input<Settings>('settings:') ?? DEFAULT_SETTINGS;
  }

  /** The folder a path belongs to: the deepest workspace folder holding it. */
  rootOf(path: string): string | undefined {
    return this.roots()
      .filter((r) => r === path || isInside(r, path))
      .sort((a, b) => b.length - a.length)[0];
  }

  /** Settings of the folder holding `path` (read as a dependency); the defaults outside every folder. */
  settingsFor(path: string): Settings {
    const root = this.rootOf(path);
    return this.engine.input<Settings>(`settings:${root ?? ''}`) ?? this.defaults();
  }

  /** The configured schema of a path's folder, as an absolute path. */
  configuredSchema(path: string): string | undefined {
    const s = this.settingsFor(path).schemaFile;
    if (!s) return undefined;
    return isAbsolute(s) ? s : join(this.rootOf(path) ?? this.roots()[0] ?? '', s);
  }
}
