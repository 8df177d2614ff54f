import { join, relative, sep } from 'node:path';
import { isInside } from '../workspace/paths';
import { lookupFolders } from './resolvePath';

/**
 * How a test file names `target`: relative to the nearest folder of its lookup (its own folder,
 * then each parent up to the root) from which the name finds exactly `target` first, as a person
 * writes it (`agent-platform.cedarschema` from `tests/`, found in the folder above); else
 * relative to the test file's folder (`../x/y.cedar`), which is found first by construction.
 */
export function pathFromTestFile(testFile: string, target: string, root: string, exists: (path: string) => boolean): string {
  const folders = lookupFolders(testFile, root);
  for (const [i, folder] of folders.entries()) {
    if (!isInside(folder, target)) continue;
    const rel = relative(folder, target);
    // Nearer folders are looked in first: the name must not find another file there.
    if (folders.slice(0, i).some((nearer) => exists(join(nearer, rel)))) continue;
    return rel.split(sep).join('/');
  }
  return relative(folders[0], target).split(sep).join('/');
}
