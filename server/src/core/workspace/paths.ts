import { isAbsolute, relative, sep } from 'node:path';

/** Whether `path` is strictly inside folder `dir`. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !!rel && !rel.startsWith('..') && !isAbsolute(rel);
}

/** A path relative to the workspace folder holding it, with `/`; absolute outside every folder. */
export function displayPath(roots: string[], path: string): string {
  const root = roots.find((r) => isInside(r, path));
  return (root ? relative(root, path) : path).split(sep).join('/');
}

/** Inside `node_modules/` or `.git/` (or one of them): nothing there is ever read (SPEC §11). */
export function isNeverRead(path: string): boolean {
  return /(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(path);
}
