import type { FileSystemHost } from '../workspace/fileSystem';
import { decodeFile } from '../workspace/readText';

/** A file as a request test reads it: its text, or why it cannot be read; undefined when there is no such file. */
export type HostFile = { text: string } | { problem: string } | undefined;

/**
 * How request tests reach the files they name: the disk in the CLI, the workspace's texts in the
 * service (the editor's text wins while a file is open), a map in tests.
 */
export interface TestHost {
  read(path: string): HostFile;
  /** A path as messages show it (relative to the workspace or the current folder). */
  display(path: string): string;
}

/** A host over a file system (the disk, or `memoryFileSystem` in tests). */
export function fileSystemHost(fs: FileSystemHost, display: (path: string) => string = (p) => p): TestHost {
  return {
    read(path) {
      const bytes = fs.readFile(path);
      if (!bytes) return undefined;
      const decoded = decodeFile(bytes);
      return decoded.problem ? { problem: decoded.problem.message } : { text: decoded.text };
    },
    display,
  };
}
