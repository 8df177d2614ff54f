import { dirname, sep } from 'node:path';
import { isWantedJson, mayHoldTools } from '../tools/fileKind';
import { fileKindOf, type FileKind } from './fileKinds';
import type { FileSystemHost } from './fileSystem';
import { decodeEditorText, decodeFile, DEFAULT_MAX_FILE_BYTES, type ReadProblem } from './readText';

/** One workspace file as the core sees it: the editor's text while open, else the disk's. */
export interface FileEntry {
  path: string;
  kind: FileKind;
  text: string;
  /** Bumped on every change of text; caches are keyed by it. */
  revision: number;
  open: boolean;
  readProblem?: ReadProblem;
}

let nextRevision = 1;

/** The set of files the core knows, indexed by folder for schema lookup. */
export class WorkspaceFiles {
  private readonly entries = new Map<string, FileEntry>();
  private readonly byDir = new Map<string, Set<string>>();

  constructor(
    private readonly fs: FileSystemHost,
    /** The `agentgov.maxFileSize` of the folder holding a path. */
    private readonly maxBytesFor: (path: string) => number = () => DEFAULT_MAX_FILE_BYTES,
  ) {}

  /** Reads every known kind of file below the roots from disk; answers their paths. */
  scan(roots: string[]): string[] {
    const read: string[] = [];
    for (const root of roots) {
      for (const p of this.fs.listFiles(root)) {
        if (fileKindOf(p) && this.loadFromDisk(p)) read.push(p);
      }
    }
    return read;
  }

  /** Files below a folder (a folder deleted or moved in one go is reported as the folder alone). */
  below(dir: string): string[] {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    return [...this.entries.keys()].filter((p) => p.startsWith(prefix));
  }

  /** Every file on disk below a folder (a folder created in one go). */
  listDisk(dir: string): string[] {
    return this.fs.listFiles(dir);
  }

  get(path: string): FileEntry | undefined {
    return this.entries.get(path);
  }

  all(kind?: FileKind): FileEntry[] {
    const all = [...this.entries.values()];
    return kind ? all.filter((e) => e.kind === kind) : all;
  }

  /** Files of a kind directly in a folder. */
  inDir(dir: string, kind: FileKind): FileEntry[] {
    return [...(this.byDir.get(dir) ?? [])].map((p) => this.entries.get(p)!).filter((e) => e.kind === kind);
  }

  /** The editor's text wins over the disk while the document is open. */
  setOpenText(path: string, editorText: string): FileEntry | undefined {
    const kind = fileKindOf(path);
    if (!kind) return undefined;
    const { text, problem } = decodeEditorText(editorText);
    const prev = this.entries.get(path);
    if (prev?.open && prev.text === text && prev.readProblem?.message === problem?.message) return prev;
    return this.put({ path, kind, text, revision: nextRevision++, open: true, ...(problem ? { readProblem: problem } : {}) });
  }

  /** A closed document falls back to what is on disk (or disappears when it was never saved). */
  close(path: string): void {
    const e = this.entries.get(path);
    if (!e?.open) return;
    this.remove(path);
    this.loadFromDisk(path);
  }

  /** Re-reads a file that changed on disk, unless the editor holds it open. */
  loadFromDisk(path: string): FileEntry | undefined {
    const kind = fileKindOf(path);
    if (!kind || (kind === 'json' && !isWantedJson(path))) return undefined;
    const existing = this.entries.get(path);
    if (existing?.open) return existing;
    const bytes = this.fs.readFile(path);
    if (!bytes) {
      this.remove(path);
      return undefined;
    }
    const decoded = decodeFile(bytes, this.maxBytesFor(path));
    const { problem } = decoded;
    // Most TypeScript and JSON files of a workspace hold no tool: keep no text for them, only the
    // fact that they define none (an edit in the editor, or on disk, reads them again).
    const text = mayHoldTools(path, decoded.text) ? decoded.text : '';
    if (existing && existing.text === text && existing.readProblem?.message === problem?.message) return existing;
    return this.put({ path, kind, text, revision: nextRevision++, open: false, ...(problem ? { readProblem: problem } : {}) });
  }

  remove(path: string): void {
    if (!this.entries.delete(path)) return;
    this.byDir.get(dirname(path))?.delete(path);
  }

  private put(e: FileEntry): FileEntry {
    this.entries.set(e.path, e);
    const dir = dirname(e.path);
    let set = this.byDir.get(dir);
    if (!set) this.byDir.set(dir, (set = new Set()));
    set.add(e.path);
    return e;
  }
}
