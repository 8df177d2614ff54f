import { isAbsolute, relative, sep } from 'node:path';

/** A clean absolute POSIX path: no `.` or `..` segment, no doubled or trailing separator. */
const UNCLEAN = /\/\.\.?(?:\/|$)|\/\/|.\/$/;

/**
 * Whether `path` is strictly inside folder `dir`. Asked thousands of times per edit (every file's
 * folder, rule files, schema lookups): clean absolute POSIX paths, which the workspace's are, are
 * compared as text; anything else (Windows, relative, `..`) goes through `path.relative`.
 */
export function isInside(dir: string, path: string): boolean {
  if (sep === '/' && dir.startsWith('/') && path.startsWith('/') && !UNCLEAN.test(dir) && !UNCLEAN.test(path))
    return path.length > dir.length && path.startsWith(dir) && (dir === '/' || path[dir.length] === '/');
  const rel = relative(dir, path);
  return !!rel && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
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
