import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import { parseJsonTree } from '../text/jsonErrors';
import type { Finding } from '../findings/finding';
import { LineIndex } from '../text/lineIndex';
import { FIRST_LINE, type Range } from '../text/range';
import { cleanMessage } from './errors';
import { unquote } from './lexer';
import { jsonValue } from './schemaFile';
import type { SchemaModel } from './schemaModel';
import { JSON_DEPTH_LIMIT, jsonDepth } from './nesting';
import { cedarGateway, type DetailedError } from './gateway';
import type { CedarPool } from './gateway/pool';
import { Memo } from '../engine/memo';

const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);

/**
 * Cedar's conformance answers by schema model (the same object until the schema changes) and
 * entities text, so a worker can compute them ahead of the findings.
 */
const checks = new WeakMap<object, Memo<string, DetailedError[]>>();
const NO_SCHEMA = {};

function checksOf(schema: SchemaModel | undefined): Memo<string, DetailedError[]> {
  const owner = schema?.valid ? schema : NO_SCHEMA;
  let memo = checks.get(owner);
  if (!memo) checks.set(owner, (memo = new Memo('entities checks by text', 64)));
  return memo;
}

/** What Cedar is asked about an entities text: the value and the schema, once the text is sound. */
function cedarQuestion(text: string, root: JsonNode, schema: SchemaModel | undefined) {
  return { entities: jsonValue(root, safeInteger(text)), schema: schema?.valid ? schema.json : null };
}

/** Checks an entities text's conformance in a worker, so its findings need no Cedar call here. */
export async function prefetchEntitiesCheck(text: string, schema: SchemaModel | undefined, pool: CedarPool): Promise<void> {
  const memo = checksOf(schema);
  if (memo.has(text)) return;
  const pre = precheck('', text);
  if (!pre.root) return;
  const q = cedarQuestion(text, pre.root, schema);
  memo.set(text, await pool.checkEntities(q.entities, q.schema));
}

/** Findings of an entities file: JSON syntax, out-of-range Longs, and conformance to the schema. */
export function entitiesFindings(file: string, text: string, schema: SchemaModel | undefined): Finding[] {
  const { findings, root, lines } = precheck(file, text);
  if (!root) return findings;
  const cedarErrors = checksOf(schema).getOr(text, () => {
    const q = cedarQuestion(text, root, schema);
    return cedarGateway.checkEntities(q.entities, q.schema);
  });
  for (const err of cedarErrors) {
    findings.push({
      ruleId: 'cedar-validation',
      severity: 'error',
      message: cleanMessage(err.message),
      file,
      range: locateEntity(err.message, root, lines) ?? FIRST_LINE,
      ...(err.help ? { help: err.help } : {}),
    });
  }
  return findings;
}

/**
 * The findings before Cedar by text: they do not depend on the schema, and a schema edit asks
 * for the entities' findings again (a megabyte entities file took a second to read each time).
 */
const prechecked = new Memo<string, Precheck>('entities precheck by text', 2);

interface Precheck {
  findings: Finding[];
  root?: JsonNode;
  lines: LineIndex;
}

/** The findings before Cedar (syntax, shape, Long ranges); `root` only when there are none. */
function precheck(file: string, text: string): Precheck {
  const { findings, root, lines } = prechecked.getOr(text, () => readEntities(text));
  return { findings: findings.map((f) => ({ ...f, file })), root, lines };
}

function readEntities(text: string, file = ''): Precheck {
  const lines = new LineIndex(text);
  const deep = jsonDepth(text, JSON_DEPTH_LIMIT);
  if (deep.offset !== undefined) {
    const finding: Finding = {
      ruleId: 'cedar-parse',
      severity: 'error',
      message: `These entities are nested too deeply for Cedar to check safely (more than ${JSON_DEPTH_LIMIT} levels). They were not checked.`,
      file,
      range: lines.range(deep.offset, deep.offset + 1),
    };
    return { findings: [finding], lines };
  }
  const { root, errors } = parseJsonTree(text, lines);
  const findings: Finding[] = errors.map(({ message, range }) => ({
    ruleId: 'cedar-parse',
    severity: 'error',
    message,
    file,
    range,
  }));
  if (findings.length || !root) return { findings, lines };
  if (root.type !== 'array') {
    const finding: Finding = {
      ruleId: 'cedar-parse',
      severity: 'error',
      message: 'An entities file must be a JSON array of entities.',
      file,
      range: lines.range(root.offset, root.offset + root.length),
    };
    return { findings: [finding], lines };
  }
  findings.push(...integerRangeFindings(file, text, root, lines));
  return findings.length ? { findings, lines } : { findings, root, lines };
}

/**
 * cedar-wasm's JS interface cannot carry integers beyond 2^53 (it rejects BigInt and rounds
 * numbers), so such a literal — already range-checked exactly from its text — is passed to the
 * conformance check as 0: conformance depends on the type only.
 */
function safeInteger(text: string): (n: JsonNode) => unknown {
  return (n) => {
    const raw = text.slice(n.offset, n.offset + n.length);
    return /^-?\d+$/.test(raw) && !Number.isSafeInteger(Number(raw)) ? 0 : n.value;
  };
}

/** Cedar Longs are 64-bit: JSON numbers outside that range (or with a fraction) cannot be Cedar values. */
function integerRangeFindings(file: string, text: string, node: JsonNode, lines: LineIndex): Finding[] {
  const out: Finding[] = [];
  const visit = (n: JsonNode) => {
    if (n.type === 'number') {
      const raw = text.slice(n.offset, n.offset + n.length);
      const range = lines.range(n.offset, n.offset + n.length);
      if (!/^-?\d+$/.test(raw))
        out.push({
          ruleId: 'cedar-parse',
          severity: 'error',
          message: `${raw} is not an integer: Cedar has no floating-point numbers (use decimal("…")).`,
          file,
          range,
        });
      else if (BigInt(raw) > I64_MAX || BigInt(raw) < I64_MIN)
        out.push({
          ruleId: 'cedar-parse',
          severity: 'error',
          message: `${raw} does not fit in a Cedar Long (64-bit signed integer).`,
          file,
          range,
        });
    }
    n.children?.forEach(visit);
  };
  visit(node);
  return out;
}

/** Cedar names the entity (`Type::"id"`) but gives no location: find that entity's `uid`. */
function locateEntity(message: string, root: JsonNode, lines: LineIndex): Range | undefined {
  const m = /`((?:[A-Za-z_]\w*::)*[A-Za-z_]\w*)::"((?:[^"\\]|\\.)*)"`/.exec(message);
  if (!m) return undefined;
  const [, type, id] = m;
  for (const entity of root.children ?? []) {
    const uid = findNodeAtLocation(entity, ['uid']);
    if (!uid) continue;
    const v = jsonValue(uid) as { type?: string; id?: string; __entity?: { type: string; id: string } };
    const u = v.__entity ?? v;
    if (u.type === type && u.id === unquote(`"${id}"`)) return lines.range(uid.offset, uid.offset + uid.length);
  }
  return undefined;
}

/**
 * The entities of a sound entities file as Cedar takes them (integers beyond 2^53 are read as 0,
 * as in the conformance check, and reported there), or undefined when the file does not parse.
 */
export function entitiesValue(text: string): unknown[] | undefined {
  const { root } = precheck('', text);
  if (!root) return undefined;
  const value = jsonValue(root, safeInteger(text));
  return Array.isArray(value) ? value : undefined;
}
