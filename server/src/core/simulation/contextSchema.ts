import type { WorkspaceTool } from '../agents/agentIndex';
import type { SchemaModel } from '../cedar/schemaModel';
import type { Attribute, CedarType } from '../cedar/types';
import type { ToolAction } from '../governance/facts/actions';
import type { FieldType, InputField } from '../tools/model';

/** A JSON Schema (draft 7) object, as an editor's JSON language features read it. */
export type JsonSchema = { [key: string]: unknown };

/** Deeper records are left open: a schema that deep helps nobody type a context. */
const MAX_DEPTH = 16;

const EXTENSION_FUNCTIONS: Record<string, string> = {
  ipaddr: 'ip',
  decimal: 'decimal',
  datetime: 'datetime',
  duration: 'duration',
};

const APPROVAL_DOC =
  'A step-up: a human approval for this task (SPEC §11). Absent means no approval, which is what an agent acting alone sends.';
const INPUT_DOC = "The tool's arguments, as the agent would pass them.";

/** Cedar's JSON form of an entity reference, with the type fixed when the schema names it. */
function entitySchema(type: string): JsonSchema {
  const uid = {
    type: 'object',
    properties: { type: { const: type }, id: { type: 'string' } },
    required: ['type', 'id'],
    additionalProperties: false,
  };
  return {
    description: `A ${type} entity: {"__entity": {"type": "${type}", "id": "…"}}`,
    anyOf: [{ type: 'object', properties: { __entity: uid }, required: ['__entity'], additionalProperties: false }, uid],
    defaultSnippets: [{ label: `${type} entity`, body: { __entity: { type, id: '$1' } } }],
  };
}

/** Cedar's JSON form of an extension value (`{"__extn": {"fn": "ip", "arg": "10.0.0.1"}}`). */
function extensionSchema(name: string): JsonSchema {
  const fn = EXTENSION_FUNCTIONS[name];
  if (!fn) return {};
  return {
    description: `A ${name} value: {"__extn": {"fn": "${fn}", "arg": "…"}}`,
    type: 'object',
    properties: {
      __extn: {
        type: 'object',
        properties: { fn: { const: fn }, arg: { type: 'string' } },
        required: ['fn', 'arg'],
        additionalProperties: false,
      },
    },
    required: ['__extn'],
    additionalProperties: false,
    defaultSnippets: [{ label: `${fn}(…)`, body: { __extn: { fn, arg: '$1' } } }],
  };
}

/** What a tool says about its own fields (descriptions, enums), to enrich the Cedar types. */
type FieldHints = Map<string, InputField>;

const hintsOf = (fields: InputField[] | undefined): FieldHints => new Map((fields ?? []).map((f) => [f.name, f]));

function withHint(schema: JsonSchema, field: InputField | undefined, doc: string | undefined): JsonSchema {
  const out = { ...schema };
  const description = doc ?? field?.description;
  if (description && !out.description) out.description = description;
  if (field?.type.kind === 'string' && field.type.enum?.length && out.type === 'string') out.enum = field.type.enum;
  return out;
}

function fromCedarType(t: CedarType, depth: number, hints?: FieldHints): JsonSchema {
  switch (t.kind) {
    case 'String':
      return { type: 'string' };
    case 'Long':
      // Cedar's Long is a 64-bit integer; the context is read exactly, so any integer is fine.
      return { type: 'integer' };
    case 'Bool':
      return { type: 'boolean' };
    case 'Set':
      return { type: 'array', items: fromCedarType(t.element, depth + 1) };
    case 'Record':
      return fromRecord(t.attributes, !!t.open, depth, hints);
    case 'Entity':
      return entitySchema(t.name);
    case 'Extension':
      return extensionSchema(t.name);
    default:
      return {};
  }
}

function fromRecord(attributes: Record<string, Attribute>, open: boolean, depth: number, hints?: FieldHints): JsonSchema {
  if (depth >= MAX_DEPTH) return { type: 'object' };
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, a] of Object.entries(attributes)) {
    const field = hints?.get(name);
    const nested = field?.type.kind === 'object' ? hintsOf(field.type.fields) : undefined;
    properties[name] = withHint(fromCedarType(a.type, depth + 1, nested), field, a.doc);
    if (a.required) required.push(name);
  }
  // Cedar's validator rejects attributes a record type does not declare.
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: open };
}

function fromField(t: FieldType, depth: number): JsonSchema {
  switch (t.kind) {
    case 'string':
      return { type: 'string', ...(t.enum?.length ? { enum: t.enum } : {}) };
    case 'number':
      return { type: t.integer === false ? 'number' : 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
      return { type: 'array', items: fromField(t.items, depth + 1) };
    case 'object':
      return fromFields(t.fields, t.additional ?? false, depth + 1);
    default:
      return {};
  }
}

function fromFields(fields: InputField[], additional: boolean, depth: number): JsonSchema {
  if (depth >= MAX_DEPTH) return { type: 'object' };
  const properties: Record<string, JsonSchema> = {};
  for (const f of fields) properties[f.name] = withHint(fromField(f.type, depth), f, undefined);
  const required = fields.filter((f) => f.required).map((f) => f.name);
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: additional };
}

/**
 * The JSON Schema of a call's context (`{input: …, approval?: …}`), for the editor the context is
 * typed in: completion, hover and validation from the same types the request is validated
 * against. The action's declared context when the schema has one (the workspace's declaration,
 * else the fragment derived from the tool), enriched with the tool's own descriptions and enums;
 * without a schema, the tool's input schema and the approval convention (SPEC §11). `$schema` is
 * allowed so the document can name this schema.
 */
export function contextJsonSchema(
  tool: WorkspaceTool,
  action: ToolAction | undefined,
  schema: SchemaModel | undefined,
): JsonSchema {
  const label = tool.server ? `${tool.server}/${tool.name}` : tool.name;
  const declared = action ? schema?.actions.get(action.key)?.context : undefined;
  let root: JsonSchema;
  if (declared?.kind === 'Record') {
    const record = fromRecord(declared.attributes, !!declared.open, 0) as { properties: Record<string, JsonSchema> };
    const input = declared.attributes.input;
    if (input)
      record.properties.input = withHint(fromCedarType(input.type, 1, hintsOf(tool.input?.fields)), undefined, INPUT_DOC);
    if (record.properties.approval) record.properties.approval = { ...record.properties.approval, description: APPROVAL_DOC };
    root = record;
  } else {
    const input = tool.input
      ? fromFields(tool.input.fields, tool.input.additional ?? false, 1)
      : { type: 'object', additionalProperties: true };
    root = {
      type: 'object',
      properties: {
        input: { ...input, description: INPUT_DOC },
        approval: {
          type: 'object',
          properties: { granted: { type: 'boolean' } },
          required: ['granted'],
          description: APPROVAL_DOC,
        },
      },
      additionalProperties: false,
    };
  }
  const properties = { $schema: { type: 'string' }, ...(root.properties as Record<string, JsonSchema>) };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Context of a call of ${label}`,
    description: `What Cedar gets as \`context\` when an agent calls ${label}${action ? ` (${action.key})` : ''}.`,
    ...root,
    properties,
  };
}
