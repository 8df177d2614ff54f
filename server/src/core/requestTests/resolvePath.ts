import { dirname, isAbsolute, join } from 'node:path';
import { isInside } from '../workspace/paths';
import type { HostFile, TestHost } from './host';

/**
 * The folders a relative path in a test file is looked up from, in order: the test file's folder,
 * then each parent up to the workspace root (Cedar's corpus writes `corpus-tests/<hash>.cedar`,
 * relative to the folder holding `corpus-tests/`). A test file outside the root looks in its own
 * folder only.
 */
export function lookupFolders(testFile: string, root: string): string[] {
  const out = [dirname(testFile)];
  let dir = out[0];
  while (isInside(root, dir)) {
    dir = dirname(dir);
    out.push(dir);
  }
  return out;
}

export type Resolved = { path: string; file: Exclude<HostFile, undefined> } | { looked: string[] };

/** The first existing file a path names, or every place it was looked for. */
export function resolvePath(ref: string, testFile: string, root: string, host: TestHost): Resolved {
  const candidates = isAbsolute(ref) ? [ref] : lookupFolders(testFile, root).map((dir) => join(dir, ref));
  for (const path of candidates) {
    const file = host.read(path);
    if (file) return { path, file };
  }
  return { looked: candidates };
}
