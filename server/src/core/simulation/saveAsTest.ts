import { dirname, relative, sep } from 'node:path';
import { applyEdits, type Edit, format, type FormattingOptions, modify, type Node, parseTree } from 'jsonc-parser';
import type { SchemaModel } from '../cedar/schemaModel';
import { DERIVED_SCHEMA } from '../cedar/cedarIndex';
import type { SimulationAnswer } from './types';
import { exactJsonText } from '../text/losslessJson';
import { uidText } from './uid';

/** What a saved test decides with, as the simulation did: the workspace's policies, entities and schema. */
export interface TestSetup {
  /** Every file of the workspace policy set. */
  policyFiles: string[];
  /** One entities file, or the entities themselves when several files hold them (a test names one). */
  entities: { file: string } | { inline: unknown[] };
  /** The schema file the request was validated against, when one file declares all it names. */
  schemaFile?: string;
}

/** A save that cannot be made, said to the person who asked. */
export interface SaveAsTestError {
  error: string;
}

/** The edits that save the request, the test file's text after them, and the new request's index. */
export interface SavedTest {
  edits: Edit[];
  text: string;
  index: number;
  created: boolean;
}

/**
 * The one schema file a test can name (`schema` is a single path): the request's schema when one
 * real file declares its principal, action and resource types. A schema of several files, or one
 * the tools' derived fragment completes, has no such file: the test then runs unvalidated.
 */
export function schemaFileOf(answer: SimulationAnswer, schema: SchemaModel | undefined): string | undefined {
  if (!answer.validated || !schema) return undefined;
  const files = schema.files.filter((f) => f.file !== DERIVED_SCHEMA);
  if (files.length !== 1) return undefined;
  const file = files[0].file;
  const { principal, action, resource } = answer.request;
  const actionDecl = [...schema.actions.values()].find((a) => a.uid === uidText(action))?.decl;
  const declared = [schema.entityTypes.get(principal.type)?.decl, actionDecl, schema.entityTypes.get(resource.type)?.decl];
  return declared.every((d) => d?.file === file) ? file : undefined;
}

/** A short readable description: who calls what with which input (`amount=900`), and whether it is approved. */
export function describeRequest(answer: SimulationAnswer): string {
  const who = answer.agent?.name ?? uidText(answer.request.principal);
  const tool = answer.tool;
  const what = tool ? (tool.server ? `${tool.server}/${tool.name}` : tool.name) : uidText(answer.request.action);
  const { input, approval } = answer.request.context as { input?: unknown; approval?: { granted?: unknown } };
  const args =
    input && typeof input === 'object' && !Array.isArray(input)
      ? Object.entries(input).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      : [];
  const text = `${who} calls ${what}${args.length ? ` (${args.join(', ')})` : ''}${approval?.granted === true ? ', approved' : ''}`;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** One request of a test file, expecting what Cedar answered: its decision, determining and erroring policies. */
export function requestEntry(
  answer: SimulationAnswer,
  description: string,
): { entry: Record<string, unknown> } | SaveAsTestError {
  if (!answer.decision)
    return { error: `Cedar did not decide this request (${answer.failures.join('; ')}): there is nothing to expect.` };
  const { principal, action, resource, context } = answer.request;
  const errors = [...new Set(answer.errors.map((e) => e.policyId))].sort();
  const entry = {
    description,
    principal: { type: principal.type, id: principal.id },
    action: { type: action.type, id: action.id },
    resource: { type: resource.type, id: resource.id },
    context,
    decision: answer.decision,
    reason: [...new Set(answer.determining.map((p) => p.id))].sort(),
    ...(errors.length ? { errors } : {}),
  };
  return { entry };
}

/** A path as a test file writes it: relative to the test file's folder, with `/`. */
function relativeTo(testFile: string, path: string): string {
  return relative(dirname(testFile), path).split(sep).join('/');
}

/** How a file is laid out: its indentation unit and line end, so an appended request looks like its neighbours. */
interface Layout {
  unit: string;
  eol: string;
}

function layoutOf(text: string): Layout {
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  return {
    unit: indent.startsWith('\t') ? '\t' : ' '.repeat(Math.min(indent.length, 8)),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

const formatting = (l: Layout): FormattingOptions => ({
  insertSpaces: l.unit !== '\t',
  tabSize: l.unit === '\t' ? 1 : l.unit.length,
  eol: l.eol,
});

/**
 * A value written compactly on its line when short, else spread over lines; exact integers as
 * written (`exactJsonText`: Node 20's `JSON.stringify` garbles a raw integer after wide text).
 */
function valueText(value: unknown, l: Layout): string {
  const compact = exactJsonText(value);
  if (compact.length <= 100) return compact;
  return exactJsonText(value, 2)
    .split('\n')
    .map((line) => line.replace(/^(?: {2})+/, (lead) => l.unit.repeat(lead.length / 2)))
    .join(l.eol);
}

/**
 * An object with one key per line, its short values on the key's line as the examples write them
 * (`"principal": { "type": "Platform::Agent", "id": "billing-assistant" }`), indented by `indent`.
 */
function objectText(value: Record<string, unknown>, indent: string, l: Layout): string {
  const lines = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${valueText(v, l)}`);
  const raw = `{${l.eol}${lines.join(`,${l.eol}`)}${l.eol}}`;
  const text = applyEdits(raw, format(raw, undefined, { ...formatting(l), keepLines: true }));
  return text.split(l.eol).join(`${l.eol}${indent}`);
}

/** The indentation of the line `offset` is on. */
function indentAt(text: string, offset: number): string {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

const propertyNode = (root: Node, key: string) =>
  root.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key)?.children?.[1];

/** A new test file holding the one request, its setup written relative to it. */
function newTestFile(testFile: string, entry: Record<string, unknown>, setup: TestSetup): SavedTest {
  const l: Layout = { unit: '  ', eol: '\n' };
  const policies = setup.policyFiles.map((p) => relativeTo(testFile, p));
  const header = {
    policies: policies.length === 1 ? policies[0] : policies,
    entities: 'file' in setup.entities ? relativeTo(testFile, setup.entities.file) : setup.entities.inline,
    ...(setup.schemaFile ? { schema: relativeTo(testFile, setup.schemaFile) } : {}),
  };
  const requests = `"requests": [\n${l.unit.repeat(2)}${objectText(entry, l.unit.repeat(2), l)}\n${l.unit}]`;
  const body = objectText(header, '', l).replace(/\n}$/, `,\n${l.unit}${requests}\n}`);
  const text = `// Request tests saved from simulations in the editor: each expects what Cedar decided then.\n${body}\n`;
  return { edits: [{ offset: 0, length: 0, content: text }], text, index: 0, created: true };
}

/** The edit appending `entry` to the `requests` array: placed by jsonc-parser, laid out like the file. */
function appendEdit(text: string, requests: Node, entry: Record<string, unknown>): Edit[] {
  const l = layoutOf(text);
  const [edit] = modify(text, ['requests', -1], entry, { isArrayInsertion: true });
  const last = requests.children?.at(-1);
  const outer = indentAt(text, requests.offset);
  const indent = last ? indentAt(text, last.offset) : outer + l.unit;
  const item = objectText(entry, indent, l);
  const content = last ? `,${l.eol}${indent}${item}` : `${l.eol}${indent}${item}${l.eol}${outer}`;
  // An empty array written `[ ]` keeps its inside blank: the request replaces it.
  const length = last ? edit.length : Math.max(0, requests.length - 2);
  return [{ offset: edit.offset, length, content }];
}

/**
 * Saves a simulated request as a test (SPEC §7): appended to the `requests` of an existing test
 * file (JSONC: its comments and formatting kept, only the new request is formatted), or as the
 * first request of a new one that names the simulation's policies, entities and schema relative to
 * itself. `existing` is the file's text, undefined for a new file. Never throws.
 */
export function saveAsTest(
  testFile: string,
  existing: string | undefined,
  answer: SimulationAnswer,
  setup: TestSetup,
  description = describeRequest(answer),
): SavedTest | SaveAsTestError {
  const made = requestEntry(answer, description);
  if ('error' in made) return made;
  const { entry } = made;
  if (existing === undefined || !existing.trim()) return newTestFile(testFile, entry, setup);
  const root = parseTree(existing, [], { allowTrailingComma: true, disallowComments: false });
  if (root?.type !== 'object') return { error: 'This test file is not a JSON object: fix it first, or save into a new file.' };
  const requests = propertyNode(root, 'requests');
  if (requests && requests.type !== 'array')
    return { error: 'The `requests` of this test file is not an array: fix it first, or save into a new file.' };
  const index = requests?.children?.length ?? 0;
  const edits = requests
    ? appendEdit(existing, requests, entry)
    : modify(existing, ['requests'], [entry], { formattingOptions: formatting(layoutOf(existing)) });
  return { edits, text: applyEdits(existing, edits), index, created: false };
}
