import { type Node as JsonNode, parseTree } from 'jsonc-parser';
import type { Expectation, Uid } from './model';

/** A request as the generator writes it into a `*.cedartests.json`. */
export interface WrittenRequest {
  description: string;
  principal: Uid;
  action: Uid;
  resource: Uid;
  context: Record<string, unknown>;
  /** Written only when false (the request is not validated against the schema). */
  validateRequest?: boolean;
  expected: Expectation;
}

/** What a new test file names (paths as the file writes them). */
export interface TestFileHeader {
  /** `//` comment lines above the object. */
  comment: string[];
  policies: string[];
  /** A path, or the entities inline. */
  entities: string | unknown[];
  schema?: string;
}

/**
 * A value on one line as the examples write it: `{ "type": "Agent", "id": "a" }`, `["x", "y"]`.
 * `JSON.stringify` of a leaf keeps exact values (`JSON.rawJSON`) as they are.
 */
export function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value) ?? 'null';
}

/** One request object, its lines indented by `indent`. */
export function requestText(r: WrittenRequest, indent: string): string {
  const lines = [
    `"description": ${JSON.stringify(r.description)}`,
    `"principal": ${inlineJson(r.principal)}`,
    `"action": ${inlineJson(r.action)}`,
    `"resource": ${inlineJson(r.resource)}`,
    `"context": ${inlineJson(r.context)}`,
    ...(r.validateRequest === false ? ['"validateRequest": false'] : []),
    `"decision": ${JSON.stringify(r.expected.decision)}`,
    ...(r.expected.reason ? [`"reason": ${inlineJson(r.expected.reason)}`] : []),
    ...(r.expected.errors?.length ? [`"errors": ${inlineJson(r.expected.errors)}`] : []),
  ];
  return `${indent}{\n${lines.map((l) => `${indent}  ${l}`).join(',\n')}\n${indent}}`;
}

/** A new test file with these requests. */
export function newTestFileText(header: TestFileHeader, requests: WrittenRequest[]): string {
  const entities =
    typeof header.entities === 'string'
      ? JSON.stringify(header.entities)
      : header.entities.length
        ? `[\n${header.entities.map((e) => `    ${inlineJson(e)}`).join(',\n')}\n  ]`
        : '[]';
  const list = inlineJson(header.policies);
  const policies =
    header.policies.length === 1
      ? JSON.stringify(header.policies[0])
      : list.length <= 80
        ? list
        : `[\n${header.policies.map((p) => `    ${JSON.stringify(p)}`).join(',\n')}\n  ]`;
  const keys = [
    `  "policies": ${policies}`,
    `  "entities": ${entities}`,
    ...(header.schema ? [`  "schema": ${JSON.stringify(header.schema)}`] : []),
    `  "requests": [\n${requests.map((r) => requestText(r, '    ')).join(',\n')}\n  ]`,
  ];
  return `${header.comment.map((l) => `// ${l}`.trimEnd()).join('\n')}\n{\n${keys.join(',\n')}\n}\n`;
}

/** The `requests` array of a test file's text, when it has one. */
function requestsArray(text: string): JsonNode | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (root?.type !== 'object') return undefined;
  for (const prop of root.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key?.value === 'requests' && value?.type === 'array') return value;
  }
  return undefined;
}

/**
 * The text with the requests added at the end of its `requests` array, the rest (comments
 * included) untouched; undefined when the text has no such array to add to.
 */
export function appendRequests(text: string, requests: WrittenRequest[]): string | undefined {
  const array = requestsArray(text);
  if (!array) return undefined;
  if (!requests.length) return text;
  const last = array.children?.at(-1);
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const indentOf = (offset: number) => /^[ \t]*/.exec(text.slice(lineStart(offset)))![0];
  const close = array.offset + array.length - 1;
  if (!last) {
    const indent = `${indentOf(array.offset)}  `;
    const body = requests.map((r) => requestText(r, indent)).join(',\n');
    return `${text.slice(0, array.offset)}[\n${body}\n${indentOf(array.offset)}]${text.slice(close + 1)}`;
  }
  const indent = indentOf(last.offset);
  const at = last.offset + last.length;
  // After a trailing comma, if the file has one.
  const comma = /^\s*,/.exec(text.slice(at, close));
  const insertAt = comma ? at + comma[0].length : at;
  const body = requests.map((r) => requestText(r, indent)).join(',\n');
  return `${text.slice(0, insertAt)}${comma ? '' : ','}\n${body}${comma ? ',' : ''}${text.slice(insertAt)}`;
}
