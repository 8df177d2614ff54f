import type { Node as JsonNode } from 'jsonc-parser';
import { parseJsonTree } from '../text/jsonErrors';
import { LineIndex } from '../text/lineIndex';
import { exactValueOf } from '../text/losslessJson';
import { readEntityUid } from './entityUid';
import { propertiesOf, rangeOf, startOf, typeName, unknownKeyProblems } from './jsonNodes';
import type { Expectation, PathRef, RequestCall, RequestTest, RequestTestFile, TestProblem } from './model';

const FILE_KEYS = ['policies', 'policiesText', 'entities', 'schema', 'schemaText', 'shouldValidate', 'requests'] as const;
const REQUEST_KEYS = [
  'description',
  'principal',
  'action',
  'resource',
  'context',
  'validateRequest',
  'decision',
  'reason',
  'errors',
] as const;

export interface ReadTestFile {
  /** Undefined only when nothing usable parsed (not JSON, not an object). */
  file?: RequestTestFile;
  problems: TestProblem[];
  lines: LineIndex;
}

/**
 * Reads a request test file (`*.cedartests.json`, or any file in the format of Cedar's
 * integration tests) as JSONC, without reading what it names. Every value keeps its range, every
 * problem is on the range it is about, numbers are exact (a 64-bit integer reaches Cedar as
 * written). Never throws: what cannot be read is a problem.
 */
export function readTestFile(text: string): ReadTestFile {
  const lines = new LineIndex(text);
  const { root, errors } = parseJsonTree(text, lines);
  const problems: TestProblem[] = errors.map((e) => ({ message: e.message, range: e.range, severity: 'error' }));
  if (!root) return { problems, lines };
  if (root.type !== 'object') {
    problems.push({
      message: `A request test file must be a JSON object with \`policies\`, \`entities\` and \`requests\`, not ${typeName(root)}.`,
      range: rangeOf(root, lines),
      severity: 'error',
    });
    return { problems, lines };
  }
  const reader = new FileReader(text, lines, problems);
  return { file: reader.read(root), problems, lines };
}

class FileReader {
  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly problems: TestProblem[],
  ) {}

  read(root: JsonNode): RequestTestFile {
    const props = propertiesOf(root);
    this.problems.push(...unknownKeyProblems(root, FILE_KEYS, 'a request test file', this.lines));
    const start = startOf(root, this.lines);
    const get = (key: string) => props.get(key)?.value;
    const file: RequestTestFile = { policies: this.paths(get('policies')), requests: [], start };
    const policiesText = this.string(get('policiesText'), 'policiesText');
    if (policiesText !== undefined) file.policiesText = { text: policiesText, range: rangeOf(get('policiesText')!, this.lines) };
    if (!get('policies') && !get('policiesText'))
      this.error(start, 'No `policies`: give a path to a `.cedar` file (or a list of paths), or Cedar text in `policiesText`.');
    file.entities = this.entities(get('entities'), start);
    const schema = this.string(get('schema'), 'schema');
    if (schema !== undefined) file.schema = { path: schema, range: rangeOf(get('schema')!, this.lines) };
    const schemaText = this.string(get('schemaText'), 'schemaText');
    if (schemaText !== undefined) file.schemaText = { text: schemaText, range: rangeOf(get('schemaText')!, this.lines) };
    const shouldValidate = get('shouldValidate');
    if (shouldValidate?.type === 'boolean')
      file.shouldValidate = {
        value: Boolean(shouldValidate.value),
        range: rangeOf(props.get('shouldValidate')!.key, this.lines),
      };
    else if (shouldValidate)
      this.error(
        rangeOf(shouldValidate, this.lines),
        `\`shouldValidate\` must be true or false, not ${typeName(shouldValidate)}.`,
      );
    const requests = get('requests');
    if (!requests)
      this.error(start, 'No `requests`: give an array of requests, each with `principal`, `action`, `resource` and `decision`.');
    else if (requests.type !== 'array')
      this.error(rangeOf(requests, this.lines), `\`requests\` must be an array, not ${typeName(requests)}.`);
    else file.requests = (requests.children ?? []).map((node, index) => this.request(node, index));
    return file;
  }

  private error(range: RequestTest['range'], message: string, request?: number): void {
    this.problems.push({ message, range, severity: 'error', ...(request !== undefined ? { request } : {}) });
  }

  private string(node: JsonNode | undefined, key: string): string | undefined {
    if (!node) return undefined;
    if (node.type === 'string') return String(node.value);
    this.error(rangeOf(node, this.lines), `\`${key}\` must be a string, not ${typeName(node)}.`);
    return undefined;
  }

  private paths(node: JsonNode | undefined): PathRef[] {
    if (!node) return [];
    if (node.type === 'string') return [{ path: String(node.value), range: rangeOf(node, this.lines) }];
    if (node.type !== 'array') {
      this.error(rangeOf(node, this.lines), `\`policies\` must be a path or a list of paths, not ${typeName(node)}.`);
      return [];
    }
    const out: PathRef[] = [];
    for (const item of node.children ?? []) {
      if (item.type === 'string') out.push({ path: String(item.value), range: rangeOf(item, this.lines) });
      else this.error(rangeOf(item, this.lines), `Each entry of \`policies\` must be a path, not ${typeName(item)}.`);
    }
    return out;
  }

  private entities(node: JsonNode | undefined, start: RequestTest['range']): RequestTestFile['entities'] {
    if (!node) {
      this.error(start, 'No `entities`: give a path to an entities file, or the entities inline (`[]` for none).');
      return undefined;
    }
    if (node.type === 'string') return { path: String(node.value), range: rangeOf(node, this.lines) };
    if (node.type === 'array') return { inline: exactValueOf(node, this.text) as unknown[], range: rangeOf(node, this.lines) };
    this.error(rangeOf(node, this.lines), `\`entities\` must be a path or an array of entities, not ${typeName(node)}.`);
    return undefined;
  }

  private request(node: JsonNode, index: number): RequestTest {
    const range = rangeOf(node, this.lines);
    const fallback = `Request ${index}`;
    if (node.type !== 'object') {
      this.error(range, `Each request must be an object, not ${typeName(node)}.`, index);
      return { index, description: fallback, range };
    }
    this.problems.push(...unknownKeyProblems(node, REQUEST_KEYS, 'a request', this.lines, index));
    const props = propertiesOf(node);
    const get = (key: string) => props.get(key)?.value;
    const before = this.problems.length;
    const descriptionNode = get('description');
    let description = fallback;
    if (descriptionNode?.type === 'string') description = String(descriptionNode.value) || fallback;
    else if (descriptionNode)
      this.error(
        rangeOf(descriptionNode, this.lines),
        `\`description\` must be a string, not ${typeName(descriptionNode)}.`,
        index,
      );
    const expected = this.expectation(node, index);
    const uid = (key: 'principal' | 'action' | 'resource') => {
      const v = get(key);
      if (!v) return this.error(startOf(node, this.lines), `This request has no \`${key}\`.`, index);
      const read = readEntityUid(v, key);
      if ('message' in read) return this.error(rangeOf(v, this.lines), read.message, index);
      return { uid: read, range: rangeOf(v, this.lines) };
    };
    const principal = uid('principal');
    const action = uid('action');
    const resource = uid('resource');
    const contextNode = get('context');
    let context: Record<string, unknown> = {};
    if (contextNode?.type === 'object') context = exactValueOf(contextNode, this.text) as Record<string, unknown>;
    else if (contextNode)
      this.error(
        rangeOf(contextNode, this.lines),
        `\`context\` must be an object (a record), not ${typeName(contextNode)}.`,
        index,
      );
    const validateNode = get('validateRequest');
    if (validateNode && validateNode.type !== 'boolean')
      this.error(
        rangeOf(validateNode, this.lines),
        `\`validateRequest\` must be true or false, not ${typeName(validateNode)}.`,
        index,
      );
    const test: RequestTest = { index, description, range, ...(expected ? { expected } : {}) };
    const malformed = this.problems.slice(before).some((p) => p.severity === 'error');
    if (malformed || !principal || !action || !resource || !expected) return test;
    const call: RequestCall = {
      principal: principal.uid,
      action: action.uid,
      resource: resource.uid,
      context,
      validateRequest: validateNode?.type === 'boolean' ? Boolean(validateNode.value) : true,
      ranges: { principal: principal.range, action: action.range, resource: resource.range },
    };
    return { ...test, call };
  }

  private expectation(node: JsonNode, index: number): Expectation | undefined {
    const props = propertiesOf(node);
    const decision = props.get('decision')?.value;
    let out: Expectation | undefined;
    if (!decision) this.error(startOf(node, this.lines), 'This request has no expected `decision` ("allow" or "deny").', index);
    else if (decision.type === 'string' && (decision.value === 'allow' || decision.value === 'deny'))
      out = { decision: decision.value };
    else {
      const lower = typeof decision.value === 'string' ? decision.value.toLowerCase() : undefined;
      const hint = lower === 'allow' || lower === 'deny' ? ` (Cedar writes it in lower case: "${lower}")` : '';
      this.error(rangeOf(decision, this.lines), `\`decision\` must be "allow" or "deny"${hint}.`, index);
    }
    for (const key of ['reason', 'errors'] as const) {
      const list = props.get(key)?.value;
      if (!list) continue;
      const ids =
        list.type === 'array' ? (list.children ?? []).filter((c) => c.type === 'string').map((c) => String(c.value)) : [];
      if (list.type !== 'array' || ids.length !== (list.children ?? []).length)
        this.error(rangeOf(list, this.lines), `\`${key}\` must be a list of policy ids (strings).`, index);
      else if (out) out[key] = ids;
    }
    return out;
  }
}
