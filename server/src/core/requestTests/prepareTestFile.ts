import { FIRST_LINE } from '../text/range';
import type { TestHost } from './host';
import { loadEntities } from './loadEntities';
import { loadPolicies, type TestPolicySet } from './loadPolicies';
import { loadSchema, type TestSchema } from './loadSchema';
import type { RequestTestFile, TestProblem } from './model';
import { readTestFile } from './readTestFile';
import { declaredNames, undeclaredNameProblems } from './schemaNames';

/** A test file read with everything it names: what runs, and every problem found on the way. */
export interface PreparedTestFile {
  file: string;
  /** The file as written (its requests are the test items), when it parsed at all. */
  model?: RequestTestFile;
  problems: TestProblem[];
  /** Present when the file can run: its policies parse, its schema and entities are sound. */
  ready?: { policies: TestPolicySet; schema?: TestSchema; entities: unknown[] };
}

/**
 * Reads a test file and what it names (paths from its folder up to `root`), checking that the
 * policies and schema are usable (preparsed by Cedar, remembered by content, so running the file
 * right after parses nothing again) and the entities are JSON, and that each validated request
 * names declared types and actions. Runs no request. Never throws.
 *
 * `withCedar: false` (the editor's diagnostics, on every edit of what the file names): nothing is
 * preparsed or converted in this thread; policies' parse errors and a schema's names come from
 * what is remembered (the Cedar workers' answers for the workspace's own files) or the lexer.
 * Under the fuzzer, a test file naming a mangled schema held the server's thread 12 s.
 */
export function prepareTestFile(
  file: string,
  root: string,
  host: TestHost,
  options: { withCedar?: boolean } = {},
): PreparedTestFile {
  const withCedar = options.withCedar ?? true;
  const own = host.read(file);
  if (!own || 'problem' in own)
    return {
      file,
      problems: [
        {
          message: own ? `This file cannot be read: ${own.problem}` : 'This file does not exist.',
          range: FIRST_LINE,
          severity: 'error',
        },
      ],
    };
  const read = readTestFile(own.text);
  const problems = [...read.problems];
  const model = read.file;
  if (!model) return { file, problems };
  const policies = loadPolicies(model, file, root, host, problems, withCedar);
  const schema = loadSchema(model, file, root, host, problems, withCedar);
  const entities = loadEntities(model.entities, file, root, host, problems);
  if (schema) {
    const names = declaredNames(schema.json);
    for (const test of model.requests) problems.push(...undeclaredNameProblems(test, names));
  }
  if (model.shouldValidate && !model.schemaText && !model.schema)
    problems.push({
      message: '`shouldValidate` needs a schema to validate against (`schema` or `schemaText`); it is not checked.',
      range: model.shouldValidate.range,
      severity: 'warning',
    });
  // In reading order, as an editor lists them.
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const blocked = problems.some((p) => p.severity === 'error' && p.request === undefined);
  if (blocked || !policies || schema === false || !entities) return { file, model, problems };
  return { file, model, problems, ready: { policies, ...(schema ? { schema } : {}), entities } };
}
