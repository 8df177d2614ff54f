import type { FieldType, InputField, InputShape } from './model';
import { valueOf, type LocatedValue } from './located';

/** Deeper schemas are legal but never hand-written; stop before a stack overflow. */
const MAX_DEPTH = 32;

/**
 * Converts a JSON Schema (from a JSON file or a TypeScript literal) into an input shape.
 * Local `$ref`s (`#/definitions/…`, `#/$defs/…`) are followed; anything not statically
 * clear becomes an `unknown` type with the reason.
 */
export function inputShapeFromJsonSchema(schema: LocatedValue): InputShape {
  const type = new JsonSchemaReader(schema).fieldType(schema, 0);
  return shapeFromType(type);
}

/** Wraps any field type as a tool input: tool arguments are always an object. */
export function shapeFromType(type: FieldType): InputShape {
  if (type.kind === 'object')
    return { kind: 'object', fields: type.fields, ...(type.additional !== undefined ? { additional: type.additional } : {}) };
  const reason = type.kind === 'unknown' ? type.reason : `the input schema is a ${type.kind}, not an object`;
  return { kind: 'object', fields: [], additional: true, unknownReason: reason };
}

class JsonSchemaReader {
  constructor(private readonly root: LocatedValue) {}

  fieldType(schema: LocatedValue, depth: number): FieldType {
    if (depth > MAX_DEPTH) return { kind: 'unknown', reason: 'schema nested too deeply' };
    if (schema.kind === 'boolean') return { kind: 'unknown', reason: `schema \`${schema.value}\`` };
    if (schema.kind !== 'object') return { kind: 'unknown', reason: `not a static schema: ${shorten(schema)}` };

    const ref = valueOf(schema, '$ref');
    if (ref) return this.followRef(ref, depth);

    const variants = valueOf(schema, 'anyOf') ?? valueOf(schema, 'oneOf');
    if (variants?.kind === 'array') return this.union(variants.items, depth);
    const all = valueOf(schema, 'allOf');
    if (all?.kind === 'array') return this.intersection(all.items, depth);

    const constant = valueOf(schema, 'const');
    if (constant) return literalType([constant]);
    const enumValues = valueOf(schema, 'enum');

    const typeValue = valueOf(schema, 'type');
    let type: string | undefined;
    if (typeValue?.kind === 'string') type = typeValue.value;
    else if (typeValue?.kind === 'array') {
      // `["string", "null"]` is how JSON Schema spells "nullable string".
      const names = typeValue.items.filter((t) => t.kind === 'string' && t.value !== 'null');
      if (names.length === 1 && names[0].kind === 'string') type = names[0].value;
      else return { kind: 'unknown', reason: `one of several types (${shorten(typeValue)})` };
    } else if (enumValues?.kind === 'array') return literalType(enumValues.items);
    else if (valueOf(schema, 'properties')) type = 'object';
    else if (valueOf(schema, 'items')) type = 'array';

    switch (type) {
      case 'string': {
        const values =
          enumValues?.kind === 'array' ? enumValues.items.flatMap((v) => (v.kind === 'string' ? [v.value] : [])) : undefined;
        const format = valueOf(schema, 'format');
        return {
          kind: 'string',
          ...(values?.length ? { enum: values } : {}),
          ...(format?.kind === 'string' ? { format: format.value } : {}),
        };
      }
      case 'integer':
        return { kind: 'number', integer: true };
      case 'number':
        return { kind: 'number' };
      case 'boolean':
        return { kind: 'boolean' };
      case 'array': {
        const items = valueOf(schema, 'items');
        return {
          kind: 'array',
          items: items ? this.fieldType(items, depth + 1) : { kind: 'unknown', reason: 'array without `items`' },
        };
      }
      case 'object':
        return this.object(schema, depth);
      case undefined:
        return { kind: 'unknown', reason: 'schema without a `type`' };
      default:
        return { kind: 'unknown', reason: `type \`${type}\`` };
    }
  }

  private object(schema: LocatedValue, depth: number): FieldType {
    const required = new Set<string>();
    const req = valueOf(schema, 'required');
    if (req?.kind === 'array') for (const r of req.items) if (r.kind === 'string') required.add(r.value);
    const fields: InputField[] = [];
    const props = valueOf(schema, 'properties');
    if (props?.kind === 'object') {
      for (const entry of props.entries) {
        const description = entry.value.kind === 'object' ? valueOf(entry.value, 'description') : undefined;
        fields.push({
          name: entry.key,
          type: this.fieldType(entry.value, depth + 1),
          required: required.has(entry.key),
          ...(description?.kind === 'string' ? { description: description.value } : {}),
          range: entry.keyRange,
        });
      }
    }
    const extra = valueOf(schema, 'additionalProperties');
    // JSON Schema allows extra keys unless told otherwise.
    const additional = extra?.kind === 'boolean' ? extra.value : true;
    return { kind: 'object', fields, additional };
  }

  private followRef(ref: LocatedValue, depth: number): FieldType {
    if (ref.kind !== 'string') return { kind: 'unknown', reason: 'invalid `$ref`' };
    const m = /^#\/((?:definitions|\$defs)\/.+)$/.exec(ref.value);
    if (!m) return { kind: 'unknown', reason: `\`$ref\` to ${ref.value}` };
    let target: LocatedValue | undefined = this.root;
    for (const part of m[1].split('/')) target = valueOf(target, part.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (!target) return { kind: 'unknown', reason: `\`$ref\` to a missing ${ref.value}` };
    return this.fieldType(target, depth + 1);
  }

  private union(items: LocatedValue[], depth: number): FieldType {
    // `anyOf: [X, {type: null}]` is a nullable X.
    const types = items.filter((s) => !isNullSchema(s)).map((s) => this.fieldType(s, depth + 1));
    return mergeUnion(types);
  }

  private intersection(items: LocatedValue[], depth: number): FieldType {
    const types = items.map((s) => this.fieldType(s, depth + 1));
    if (types.length === 1) return types[0];
    if (types.every((t) => t.kind === 'object')) {
      const fields = types.flatMap((t) => (t.kind === 'object' ? t.fields : []));
      return { kind: 'object', fields, additional: types.every((t) => t.kind === 'object' && t.additional !== false) };
    }
    return { kind: 'unknown', reason: '`allOf` of non-object schemas' };
  }
}

/** `enum`/`const` values: all strings → a string enum, all numbers → number, else unknown. */
function literalType(values: LocatedValue[]): FieldType {
  if (values.length > 0 && values.every((v) => v.kind === 'string')) {
    return { kind: 'string', enum: values.map((v) => (v.kind === 'string' ? v.value : '')) };
  }
  if (values.length > 0 && values.every((v) => v.kind === 'number')) return { kind: 'number' };
  if (values.length > 0 && values.every((v) => v.kind === 'boolean')) return { kind: 'boolean' };
  return { kind: 'unknown', reason: 'enum of mixed values' };
}

/**
 * The type of "one of these": identical kinds collapse, string enums merge; anything else
 * stays unknown rather than guessing one branch.
 */
export function mergeUnion(types: FieldType[]): FieldType {
  if (types.length === 0) return { kind: 'unknown', reason: 'empty union' };
  if (types.length === 1) return types[0];
  if (types.every((t) => t.kind === 'string')) {
    const enums = types.map((t) => (t.kind === 'string' ? t.enum : undefined));
    if (enums.every((e) => e !== undefined)) return { kind: 'string', enum: [...new Set(enums.flat() as string[])] };
    return { kind: 'string' };
  }
  if (types.every((t) => t.kind === 'number'))
    return { kind: 'number', ...(types.every((t) => t.kind === 'number' && t.integer) ? { integer: true } : {}) };
  if (types.every((t) => t.kind === 'boolean')) return { kind: 'boolean' };
  return { kind: 'unknown', reason: `union of ${[...new Set(types.map((t) => t.kind))].join(', ')}` };
}

function isNullSchema(s: LocatedValue): boolean {
  const t = valueOf(s, 'type');
  return t?.kind === 'string' && t.value === 'null';
}

function shorten(v: LocatedValue): string {
  if (v.kind === 'other') return v.text.length > 40 ? `${v.text.slice(0, 40)}…` : v.text;
  return v.kind;
}
