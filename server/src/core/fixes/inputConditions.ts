import type { WorkspaceTool } from '../agents/agentIndex';
import type { ActionInfo } from '../cedar/schemaModel';
import type { Attribute, CedarType } from '../cedar/types';
import type { FieldType, InputField } from '../tools/model';
import { cedarString } from './text';

/** Input fields shown in the commented `when`: enough to start from, not the whole schema. */
const MAX_FIELDS = 8;

const RESERVED = new Set(['true', 'false', 'if', 'then', 'else', 'in', 'is', 'like', 'has', '__cedar']);
const isIdent = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name);

/**
 * One example condition per input field, typed as the schema types it (else as the tool declares
 * it): a string compared with its first allowed value or `""`, a number bounded, a boolean
 * fixed, a set tested for emptiness, anything else tested for presence.
 */
export function inputConditions(info: ActionInfo | undefined, tool: WorkspaceTool): string[] {
  const declared = info?.context.kind === 'Record' ? info.context.attributes.input?.type : undefined;
  const attrs: [string, Attribute][] =
    declared?.kind === 'Record'
      ? Object.entries(declared.attributes)
      : (tool.input?.fields ?? []).flatMap((f) => {
          const type = fieldType(f.type);
          return type ? [[f.name, { type, required: f.required }] as [string, Attribute]] : [];
        });
  const byName = new Map((tool.input?.fields ?? []).map((f) => [f.name, f]));
  return attrs.slice(0, MAX_FIELDS).map(([name, attr]) => condition(name, attr, byName.get(name)));
}

function condition(name: string, attr: Attribute, field: InputField | undefined): string {
  const key = isIdent(name) ? name : cedarString(name);
  const access = isIdent(name) ? `context.input.${name}` : `context.input[${cedarString(name)}]`;
  const has = `context.input has ${key}`;
  const allowed = field?.type.kind === 'string' ? field.type.enum?.[0] : undefined;
  const test =
    attr.type.kind === 'String'
      ? `${access} == ${cedarString(allowed ?? '')}`
      : attr.type.kind === 'Long'
        ? `${access} <= 0`
        : attr.type.kind === 'Bool'
          ? `${access} == false`
          : attr.type.kind === 'Set'
            ? `${access}.isEmpty()`
            : undefined;
  if (!test) return has;
  return attr.required ? test : `${has} && ${test}`;
}

/** A tool's declared input type as the Cedar type the derived schema gives it (derivedSchema.ts). */
function fieldType(t: FieldType): CedarType | undefined {
  switch (t.kind) {
    case 'string':
      return { kind: 'String' };
    case 'number':
      return { kind: 'Long' };
    case 'boolean':
      return { kind: 'Bool' };
    case 'array': {
      const element = fieldType(t.items);
      return element ? { kind: 'Set', element } : undefined;
    }
    case 'object':
      return { kind: 'Record', attributes: {} };
    default:
      return undefined;
  }
}
