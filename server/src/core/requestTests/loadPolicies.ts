import { createHash } from 'node:crypto';
import { cedarGateway, type PolicyText } from '../cedar/gateway';
import { parsePolicyFile, type PolicyFileModel } from '../cedar/policyFile';
import { policyParseFindings } from '../cedar/policyCheck';
import type { LineIndex } from '../text/lineIndex';
import type { Range } from '../text/range';
import type { TestHost } from './host';
import type { PathRef, TestPolicy, TestProblem, TextRef } from './model';
import { resolvePath } from './resolvePath';
import { lookedIn, readProblem } from './problems';

/** The policy set of one test file, ready for Cedar. */
export interface TestPolicySet {
  policies: TestPolicy[];
  /** Cedar's id for this exact content: the same policies always preparse under the same id. */
  id: string;
  /** The policy files read, each with its model (for coverage by file). */
  sources: { file: string; model: PolicyFileModel }[];
}

interface Source {
  file: string;
  model: PolicyFileModel;
  /** Where problems about this source go in the test file. */
  ref: Range;
  /** Inline text: statements are not located in the test file one by one. */
  inline: boolean;
}

/**
 * Reads the policies a test file names (paths from its folder upward, `policiesText`) into one
 * policy set with SPEC §11's ids, and checks that Cedar parses it (one preparse, remembered by
 * content: running the requests later costs no parse). Undefined when it cannot run.
 */
export function loadPolicies(
  refs: { policies: PathRef[]; policiesText?: TextRef },
  testFile: string,
  root: string,
  host: TestHost,
  problems: TestProblem[],
  withCedar = true,
): TestPolicySet | undefined {
  const sources: Source[] = [];
  let missing = false;
  for (const ref of refs.policies) {
    const found = resolvePath(ref.path, testFile, root, host);
    if ('looked' in found) {
      problems.push({
        message: `No policy file \`${ref.path}\`: ${lookedIn(found.looked, host)}.`,
        range: ref.range,
        severity: 'error',
      });
      missing = true;
    } else if ('problem' in found.file) {
      problems.push(readProblem(ref, found.path, found.file.problem, host));
      missing = true;
    } else sources.push({ file: found.path, model: parsePolicyFile(found.file.text), ref: ref.range, inline: false });
  }
  if (refs.policiesText)
    sources.push({ file: testFile, model: parsePolicyFile(refs.policiesText.text), ref: refs.policiesText.range, inline: true });
  if (missing) return undefined;
  const policies = policiesOf(sources, host, problems);
  if (!policies) return undefined;
  const texts: PolicyText[] = policies.map((p) => ({ id: p.cedarId, text: p.text, isTemplate: false }));
  const id = `tests-${createHash('sha1')
    .update(texts.map((t) => `${t.id}\u0000${t.text}`).join('\u0001'))
    .digest('hex')}`;
  if (!withCedar) {
    // Parse errors by statement (remembered by text: the workers' parse of the workspace's files).
    const located = parseProblems(sources, host);
    problems.push(...located);
    return located.length ? undefined : { policies, id, sources: sources.map(({ file, model }) => ({ file, model })) };
  }
  const failure = cedarGateway.preparsePolicySet(id, texts);
  if (failure.length) {
    const located = parseProblems(sources, host);
    problems.push(
      ...(located.length
        ? located
        : failure.map((e) => ({ message: e.message, range: sources[0].ref, severity: 'error' as const }))),
    );
    return undefined;
  }
  return { policies, id, sources: sources.map(({ file, model }) => ({ file, model })) };
}

/** Every statement with its id; undefined when two statements of one file share an id. */
function policiesOf(sources: Source[], host: TestHost, problems: TestProblem[]): TestPolicy[] | undefined {
  const out: TestPolicy[] = [];
  const taken = new Set<string>();
  let clash = false;
  for (const { file, model, ref, inline } of sources) {
    const inFile = new Map<string, number>();
    for (const s of model.statements) {
      const where = inline ? '`policiesText`' : `\`${host.display(file)}\``;
      if (inFile.has(s.id)) {
        problems.push({
          message: `Two policies of ${where} have the id \`${s.id}\` (statements ${inFile.get(s.id)! + 1} and ${s.index + 1}): Cedar needs each id once.`,
          range: ref,
          severity: 'error',
        });
        clash = true;
      }
      inFile.set(s.id, s.index);
      if (s.isTemplate) {
        problems.push({
          message: `${where}: \`${s.id}\` is a template (it has slots), which a request test cannot link: it is left out.`,
          range: ref,
          severity: 'warning',
        });
        continue;
      }
      const displayName = inline ? 'policiesText' : host.display(file);
      const cedarId = taken.has(s.id) ? `${displayName}#${s.id}` : s.id;
      taken.add(cedarId);
      out.push({
        cedarId,
        id: s.id,
        positional: `policy${s.index}`,
        file,
        range: inline ? ref : statementRange(model.lines, s.start, s.end),
        // A statement without an effect does not parse: the preparse that follows says so.
        effect: s.effect ?? 'permit',
        text: s.text,
      });
    }
  }
  return clash ? undefined : out;
}

function statementRange(lines: LineIndex, start: number, end: number): Range {
  return lines.range(start, end);
}

/** Cedar's parse errors, each said on the test file's reference with the policy file's line. */
function parseProblems(sources: Source[], host: TestHost): TestProblem[] {
  const out: TestProblem[] = [];
  for (const { file, model, ref, inline } of sources) {
    for (const f of policyParseFindings(file, model)) {
      const line = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
      out.push({
        message: inline
          ? `\`policiesText\` does not parse (line ${line} of the text): ${f.message}`
          : `\`${host.display(file)}\` does not parse: ${host.display(file)}:${line}: ${f.message}`,
        range: ref,
        severity: 'error',
        ...(f.help ? { help: f.help } : {}),
        ...(inline ? {} : { related: [{ file, range: f.range, message: f.message }] }),
      });
    }
  }
  return out;
}
