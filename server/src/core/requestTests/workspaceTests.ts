import { dirname } from 'node:path';
import type { Finding } from '../findings/finding';
import type { FileSystemHost } from '../workspace/fileSystem';
import type { WorkspaceInputs } from '../workspace/inputs';
import { isInside } from '../workspace/paths';
import { coverageOf, type FileCoverage } from './coverage';
import { fileSystemHost, type TestHost } from './host';
import type { RequestTestFile, TestFileRun, TestProblem } from './model';
import { prepareTestFile } from './prepareTestFile';
import { problemFindings } from './problems';
import { readTestFile } from './readTestFile';
import { type RunOptions, runTestFile } from './runTestFile';

/**
 * The workspace's request tests (`*.cedartests.json`) for the service: files are read through the
 * workspace's inputs (the editor's text wins while open; inside a query the read is a recorded
 * dependency, so a test file's findings follow the policies, schema and entities it names), and
 * from the disk for what the workspace does not hold (a file of another kind).
 */
export class WorkspaceRequestTests {
  private readonly disk: TestHost;

  constructor(
    private readonly inputs: WorkspaceInputs,
    fs: FileSystemHost,
    private readonly folders: () => readonly string[],
    private readonly displayPath: (path: string) => string,
  ) {
    this.disk = fileSystemHost(fs);
  }

  /** The test files of the workspace, sorted. */
  files(): string[] {
    return this.inputs.paths('cedartests');
  }

  /** A test file's requests with their ranges (the editor's test items), read without Cedar. */
  items(path: string): { file?: RequestTestFile; problems: TestProblem[] } {
    const text = this.host().read(path);
    if (!text || 'problem' in text) return { problems: [] };
    const { file, problems } = readTestFile(text.text);
    return { ...(file ? { file } : {}), problems };
  }

  /**
   * What keeps a test file from running, as its findings: never a failing expectation (the Test
   * Explorer shows those), only what cannot run.
   */
  findings(path: string): Finding[] {
    return problemFindings(path, prepareTestFile(path, this.rootOf(path), this.host(), { withCedar: false }).problems);
  }

  /** Runs one test file (all its requests, or `options.only`). */
  run(path: string, options: RunOptions = {}): TestFileRun {
    return runTestFile(path, this.rootOf(path), this.host(), options);
  }

  /** Runs a test file as if its text were `text` (a file about to be written), reading what it names from the workspace. */
  runText(path: string, text: string, options: RunOptions = {}): TestFileRun {
    const host = this.host();
    const overlay: TestHost = { read: (p) => (p === path ? { text } : host.read(p)), display: host.display };
    return runTestFile(path, this.rootOf(path), overlay, options);
  }

  /** Runs these test files (default: all) and tells, per policy file, which policies their requests exercise. */
  coverage(paths: string[] = this.files(), withSatisfied = true): { runs: TestFileRun[]; coverage: FileCoverage[] } {
    const runs = paths.map((p) => this.run(p, { coverage: withSatisfied }));
    return { runs, coverage: coverageOf(runs, withSatisfied) };
  }

  /** The workspace folder holding a test file: relative paths are looked up to there. */
  private rootOf(path: string): string {
    return this.folders().find((r) => isInside(r, path)) ?? dirname(path);
  }

  private host(): TestHost {
    return {
      read: (path) => {
        const e = this.inputs.file(path);
        // A JSON file the workspace keeps no text of (it holds no tools) is read from the disk.
        if (!e || (e.kind === 'json' && !e.text && !e.readProblem)) return this.disk.read(path);
        return e.readProblem ? { problem: e.readProblem.message } : { text: e.text };
      },
      display: (path) => (this.folders().includes(path) ? '.' : this.displayPath(path)),
    };
  }
}
