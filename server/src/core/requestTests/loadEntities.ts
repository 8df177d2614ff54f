import { parseJsonTree } from '../text/jsonErrors';
import { LineIndex } from '../text/lineIndex';
import type { TestHost } from './host';
import type { RequestTestFile, TestProblem } from './model';
import { exactValueOf } from '../text/losslessJson';
import { lookedIn, readProblem } from './problems';
import { resolvePath } from './resolvePath';

/**
 * Reads the entities a test file names (a path, or inline) as Cedar's entity JSON with exact
 * numbers. Undefined when they cannot be read. Their conformance to the schema is Cedar's to say
 * when a request runs (a failing request names the entity): checking it here would be a Cedar
 * call on the editor's thread for every test file's findings, and an entities file of the
 * workspace has its own conformance findings already.
 */
export function loadEntities(
  ref: RequestTestFile['entities'],
  testFile: string,
  root: string,
  host: TestHost,
  problems: TestProblem[],
): unknown[] | undefined {
  if (!ref) return undefined;
  if ('inline' in ref) return ref.inline;
  const found = resolvePath(ref.path, testFile, root, host);
  if ('looked' in found) {
    problems.push({
      message: `No entities file \`${ref.path}\`: ${lookedIn(found.looked, host)}.`,
      range: ref.range,
      severity: 'error',
    });
    return undefined;
  }
  if ('problem' in found.file) {
    problems.push(readProblem(ref, found.path, found.file.problem, host));
    return undefined;
  }
  const text = found.file.text;
  const lines = new LineIndex(text);
  const { root: tree, errors } = parseJsonTree(text, lines);
  if (errors.length || !tree || tree.type !== 'array') {
    const e = errors[0];
    const what = `\`${host.display(found.path)}\``;
    problems.push({
      message: e
        ? `${what} is not valid JSON (line ${e.range.start.line + 1}:${e.range.start.character + 1}): ${e.message}`
        : `${what} must be a JSON array of entities.`,
      range: ref.range,
      severity: 'error',
    });
    return undefined;
  }
  return exactValueOf(tree, text) as unknown[];
}
