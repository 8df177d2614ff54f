import { isAbsolute, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside } from '../../server/src/core/workspace/paths';

/** The reference: what `path.relative` says. */
function insideByRelative(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !!rel && rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel);
}

describe('isInside', () => {
  it('answers as path.relative does, for clean paths (compared as text) and unclean ones', () => {
    const dirs = ['/', '/a', '/a/', '/a/b', '/ab', '/a/./b', '/a//b', '/a/b/..', 'a', ''];
    const paths = ['/', '/a', '/a/', '/a/b', '/a/bc', '/ab', '/a/b/c', '/a/..foo', '/a/../b', '/a//b/c', 'a/b', '/a/b/.', '/x'];
    for (const dir of dirs)
      for (const path of paths) expect([dir, path, isInside(dir, path)]).toEqual([dir, path, insideByRelative(dir, path)]);
  });

  it('counts a folder whose name starts with two dots as inside (it was taken for `..`)', () => {
    expect(isInside('/w', '/w/..cache/x.cedar')).toBe(true);
    expect(isInside('/w', '/w/../x.cedar')).toBe(false);
  });
});
