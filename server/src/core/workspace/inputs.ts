import { dirname } from 'node:path';
import type { Engine } from '../engine';
import type { FileKind } from './fileKinds';
import type { FileEntry, WorkspaceFiles } from './files';

/**
 * The workspace's files as engine inputs: one input per file (its entry, compared by revision)
 * and one per kind (the sorted paths of that kind, set only when a file of that kind comes or
 * goes). Queries read files through here, so the engine knows what each of them depends on.
 */
export class WorkspaceInputs {
  private readonly byKind = new Map<FileKind, Set<string>>();
  private readonly dirtyKinds = new Set<FileKind>();

  constructor(
    private readonly engine: Engine,
    private readonly files: WorkspaceFiles,
  ) {}

  /** Input keys a change of this file touches (for `Engine.affected`). */
  static keysOf(path: string, kind: FileKind | undefined): string[] {
    return kind ? [`file:${path}`, `paths:${kind}`] : [`file:${path}`];
  }

  /** Brings the engine in line with the store for one path; answers the input keys that changed. */
  sync(path: string): string[] {
    const e = this.files.get(path);
    const changed: string[] = [];
    if (
      this.engine.setInput<FileEntry | undefined>(`file:${path}`, e, (a, b) => a?.revision === b?.revision && a?.kind === b?.kind)
    )
      changed.push(`file:${path}`);
    for (const [kind, set] of this.byKind) {
      if (set.has(path) && e?.kind !== kind) {
        set.delete(path);
        this.dirtyKinds.add(kind);
      }
    }
    if (e) {
      let set = this.byKind.get(e.kind);
      if (!set) this.byKind.set(e.kind, (set = new Set()));
      if (!set.has(path)) {
        set.add(path);
        this.dirtyKinds.add(e.kind);
      }
    }
    return changed;
  }

  /** Publishes the lists of the kinds that gained or lost files; answers their input keys. */
  flush(): string[] {
    const keys: string[] = [];
    for (const kind of this.dirtyKinds) {
      this.engine.setInput(`paths:${kind}`, [...(this.byKind.get(kind) ?? [])].sort());
      keys.push(`paths:${kind}`);
    }
    this.dirtyKinds.clear();
    return keys;
  }

  /** A file's entry, read as a dependency of the query computing now. */
  file(path: string): FileEntry | undefined {
    return this.engine.input<FileEntry>(`file:${path}`);
  }

  /** The paths of one kind, sorted, read as a dependency. */
  paths(kind: FileKind): string[] {
    return this.engine.input<string[]>(`paths:${kind}`) ?? [];
  }

  /** Files of a kind directly in a folder. */
  inDir(dir: string, kind: FileKind): string[] {
    return this.paths(kind).filter((p) => dirname(p) === dir);
  }
}
