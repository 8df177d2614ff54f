import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How the core reaches files: the real disk in the server and CLI, a map in tests. */
export interface FileSystemHost {
  /** The file's bytes, or undefined when it cannot be read. */
  readFile(path: string): Uint8Array | undefined;
  /** Every file below `root` (absolute paths), never inside `node_modules` or `.git`. */
  listFiles(root: string): string[];
}

const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export const nodeFileSystem: FileSystemHost = {
  readFile(path) {
    try {
      return readFileSync(path);
    } catch {
      return undefined;
    }
  },
  listFiles(root) {
    const out: string[] = [];
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name)) walk(join(dir, e.name));
        } else if (e.isFile()) out.push(join(dir, e.name));
      }
    };
    walk(root);
    return out;
  },
};

/** An in-memory file system, for tests and for callers that already hold the texts. */
export function memoryFileSystem(
  files: Record<string, string | Uint8Array>,
): FileSystemHost & { files: Record<string, string | Uint8Array> } {
  return {
    files,
    readFile(path) {
      const v = files[path];
      return v === undefined ? undefined : typeof v === 'string' ? new TextEncoder().encode(v) : v;
    },
    listFiles(root) {
      const prefix = root.endsWith('/') ? root : `${root}/`;
      return Object.keys(files).filter(
        (p) => p.startsWith(prefix) && !/\/(node_modules|\.git)\//.test(p.slice(prefix.length - 1)),
      );
    },
  };
}
