import { statSync } from 'node:fs';
import { isAbsolute, parse, relative, resolve, sep } from 'node:path';
import { coverageOf, fileSystemHost, runTestFile, type TestFileRun } from '../core/requestTests';
import { nodeFileSystem } from '../core/workspace/fileSystem';
import { isInside } from '../core/workspace/paths';
import { testReport, type TestReport } from './testReport';

/** A test file to run and the folder its relative paths are looked up to. */
export interface TestTarget {
  file: string;
  root: string;
}

const TEST_FILE = /\.cedartests\.json$/i;

/**
 * The test files named on the command line: a folder stands for its `*.cedartests.json` files
 * (never under `node_modules` or `.git`); a file may have any name (Cedar's corpus names them
 * `<hash>.json`). The workspace root their paths are looked up to is the current folder when they
 * are inside it; outside it, a folder named is its own root and a file looks up to the file
 * system's root. Answers a usage error for a path that cannot be read.
 */
export function testTargets(args: string[], cwd = process.cwd()): { targets: TestTarget[] } | { error: string } {
  const targets: TestTarget[] = [];
  for (const arg of args.length ? args : ['.']) {
    const abs = resolve(cwd, arg);
    let st;
    try {
      st = statSync(abs);
    } catch {
      return { error: `cannot read ${arg}: no such file or folder` };
    }
    if (st.isDirectory())
      targets.push(
        ...nodeFileSystem
          .listFiles(abs)
          .filter((f) => TEST_FILE.test(f))
          .sort()
          .map((file) => ({ file, root: abs === cwd || isInside(cwd, abs) ? cwd : abs })),
      );
    else if (st.isFile()) targets.push({ file: abs, root: isInside(cwd, abs) ? cwd : parse(abs).root });
    else return { error: `cannot read ${arg}: not a file or folder` };
  }
  return { targets: [...new Map(targets.map((t) => [t.file, t])).values()] };
}

/** A path as the output shows it: relative to the current folder with `/`, else absolute. */
export function shownPath(path: string, cwd = process.cwd()): string {
  if (path === cwd) return '.';
  const rel = relative(cwd, path);
  return !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

/** Runs the test files on this thread (`agentgov test`): the same engine as the editor's. */
export function runTests(targets: TestTarget[], options: { coverage: boolean }, cwd = process.cwd()): TestReport {
  const started = performance.now();
  const host = fileSystemHost(nodeFileSystem, (p) => shownPath(p, cwd));
  const runs: TestFileRun[] = targets.map((t) => runTestFile(t.file, t.root, host, { coverage: options.coverage }));
  return testReport(
    runs,
    options.coverage ? coverageOf(runs, true) : undefined,
    (p) => shownPath(p, cwd),
    performance.now() - started,
  );
}
