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
