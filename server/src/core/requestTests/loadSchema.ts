import { createHash } from 'node:crypto';
import { cedarGateway, type DetailedError, type SchemaJson } from '../cedar/gateway';
import { scanCedarSchemaDecls } from '../cedar/schemaDecls';
import { parseJsonTree } from '../text/jsonErrors';
import { LineIndex } from '../text/lineIndex';
import { exactValueOf } from '../text/losslessJson';
import type { Range } from '../text/range';
import type { TestHost } from './host';
import type { PathRef, TestProblem, TextRef } from './model';
import { lookedIn, readProblem } from './problems';
import { resolvePath } from './resolvePath';

/** A test file's schema, preparsed in Cedar under `name`. */
export interface TestSchema {
  json: SchemaJson;
  name: string;
}

/**
 * Reads the schema a test file names (`schema`: a `.cedarschema` text or a JSON schema, by its
 * extension; or `schemaText`) and preparses it. Undefined with no schema; `false` when it cannot
 * be used (its problems say why), so the file does not run.
 */
export function loadSchema(
  refs: { schema?: PathRef; schemaText?: TextRef },
  testFile: string,
  root: string,
  host: TestHost,
  problems: TestProblem[],
  withCedar = true,
): TestSchema | false | undefined {
  if (refs.schema && refs.schemaText) {
    problems.push({
      message: 'Give either `schema` (a path) or `schemaText`, not both.',
      range: refs.schemaText.range,
      severity: 'error',
    });
    return false;
  }
  let read: { json?: SchemaJson; problem?: (fallback?: DetailedError) => TestProblem } | undefined;
  if (refs.schemaText) read = fromText(refs.schemaText.text, '`schemaText`', refs.schemaText.range, false);
  else if (refs.schema) {
    const ref = refs.schema;
    const found = resolvePath(ref.path, testFile, root, host);
    if ('looked' in found) {
      problems.push({
        message: `No schema file \`${ref.path}\`: ${lookedIn(found.looked, host)}.`,
        range: ref.range,
        severity: 'error',
      });
      return false;
    }
    if ('problem' in found.file) {
      problems.push(readProblem(ref, found.path, found.file.problem, host));
      return false;
    }
    const what = `\`${host.display(found.path)}\``;
    read = /\.json$/i.test(found.path)
      ? fromJson(found.file.text, what, ref.range)
      : withCedar || cedarGateway.hasSchemaText(found.file.text)
        ? fromText(found.file.text, what, ref.range, true)
        : fromDecls(found.file.text);
  } else return undefined;
  if (!read.json) {
    problems.push(read.problem!());
    return false;
  }
  const json = read.json;
  const key = createHash('sha1').update(JSON.stringify(json)).digest('hex');
  const name = `tests-schema-${key}`;
  if (!withCedar) return { json, name };
  // The preparse is the check: a schema Cedar cannot use fails it, and only then is it checked
  // again for a message that points into its text.
  const failure = cedarGateway.preparseSchema(name, key, json);
  if (failure.length) {
    problems.push(
      read.problem?.(failure[0]) ?? schemaProblem('The schema', failure[0], refs.schema?.range ?? refs.schemaText!.range),
    );
    return false;
  }
  return { json, name };
}

function schemaProblem(what: string, e: DetailedError, range: Range, where = ''): TestProblem {
  return {
    message: `${what} has errors${where}: ${e.message}`,
    range,
    severity: 'error',
    ...(e.help ? { help: e.help } : {}),
  };
}

/** A Cedar-syntax schema, converted (remembered by text in the gateway); its problem, made when needed. */
function fromText(
  text: string,
  what: string,
  range: Range,
  file: boolean,
): { json?: SchemaJson; problem: (fallback?: DetailedError) => TestProblem } {
  const problem = (fallback?: DetailedError) => {
    const answer = cedarGateway.schemaText(text);
    const error: DetailedError = answer.checkErrors[0] ??
      answer.conversion.errors[0] ??
      fallback ?? { message: 'Cedar cannot read it.', help: null, code: null, url: null, severity: 'error' };
    const loc = error.sourceLocations?.[0];
    const pos = loc ? new LineIndex(text).rangeOfBytes(loc.start, loc.end).start : undefined;
    const where = pos ? ` (${file ? 'line' : 'line of the text'} ${pos.line + 1}:${pos.character + 1})` : '';
    return schemaProblem(what, error, range, where);
  };
  return { json: cedarGateway.schemaToJson(text).json, problem };
}

/**
 * A Cedar-syntax schema's declarations as JSON, read by the lexer (no Cedar call): enough for the
 * names a request may use. Whether Cedar accepts the schema, its own file's diagnostics say.
 */
function fromDecls(text: string): { json: SchemaJson } {
  const json: SchemaJson = {};
  const space = (ns: string) => (json[ns] ??= { entityTypes: {}, actions: {} });
  for (const d of scanCedarSchemaDecls(text)) {
    if (d.kind === 'entity') space(d.namespace).entityTypes[d.name] = {};
    else if (d.kind === 'action') space(d.namespace).actions[d.name] = {};
  }
  return { json };
}

/** A schema in Cedar's JSON format. */
function fromJson(text: string, what: string, range: Range): { json?: SchemaJson; problem?: () => TestProblem } {
  const lines = new LineIndex(text);
  const { root, errors } = parseJsonTree(text, lines);
  if (!errors.length && root) return { json: exactValueOf(root, text) as SchemaJson };
  const e = errors[0];
  return {
    problem: () => ({
      message: `${what} is not valid JSON${e ? ` (line ${e.range.start.line + 1}:${e.range.start.character + 1}): ${e.message}` : '.'}`,
      range,
      severity: 'error',
    }),
  };
}
