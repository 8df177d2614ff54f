import type { WorkspaceTool } from '../agents/agentIndex';
import type { SchemaModel } from '../cedar/schemaModel';
import type { CedarType } from '../cedar/types';
import type { ToolAction } from '../governance/facts/actions';
import type { FieldType, InputField } from '../tools/model';
import { toolsNamed } from './resolveRequest';
import type { SimulationWorkspace } from './workspace';

/** Deeper inputs are left empty: a placeholder is a starting point, not a fixture. */
const MAX_DEPTH = 16;

const EXTENSION_PLACEHOLDERS: Record<string, { fn: string; arg: string }> = {
  ipaddr: { fn: 'ip', arg: '127.0.0.1' },
  decimal: { fn: 'decimal', arg: '0.0' },
  datetime: { fn: 'datetime', arg: '1970-01-01' },
  duration: { fn: 'duration', arg: '0ms' },
};

/** A placeholder of a Cedar type, in Cedar's JSON value format (`__entity`, `__extn`). */
function fromCedarType(t: CedarType, depth: number): unknown {
  switch (t.kind) {
    case 'String':
      return '';
    case 'Long':
      return 0;
    case 'Bool':
      return false;
    case 'Set':
      return [];
    case 'Record': {
      const out: Record<string, unknown> = {};
      if (depth >= MAX_DEPTH) return out;
      for (const [name, a] of Object.entries(t.attributes)) {
        const v = fromCedarType(a.type, depth + 1);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'Entity':
      return { __entity: { type: t.name, id: '' } };
    case 'Extension': {
      const extn = EXTENSION_PLACEHOLDERS[t.name];
      return extn ? { __extn: extn } : undefined;
    }
    default:
      return undefined;
  }
}

/** A placeholder of a tool input field's type (numbers are Cedar Longs). */
function fromField(t: FieldType, depth: number): unknown {
  switch (t.kind) {
    case 'string':
      return t.enum?.[0] ?? '';
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return depth >= MAX_DEPTH ? {} : fromFields(t.fields, depth + 1);
    default:
      return undefined;
  }
}

function fromFields(fields: InputField[], depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = fromField(f.type, depth);
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}

/**
 * The context an editor pre-fills for a call of a tool: `{input: {...}}` with a placeholder per
 * field of its type, as the schema the request is validated against types it (the workspace's
 * declaration, else the one derived from the tool); from the tool's own input schema when there
 * is no schema. Other context attributes the schema requires get one too; the approval stays
 * absent (a request without approval is the default). JSON text, two-space indented.
 */
export function defaultContext(tool: WorkspaceTool, action: ToolAction | undefined, schema: SchemaModel | undefined): string {
  const declared = action ? schema?.actions.get(action.key)?.context : undefined;
  if (declared?.kind === 'Record') {
    const context: Record<string, unknown> = {};
    for (const [name, a] of Object.entries(declared.attributes)) {
      if (name === 'approval' || (!a.required && name !== 'input')) continue;
      const v = fromCedarType(a.type, 1);
      if (v !== undefined) context[name] = v;
    }
    return JSON.stringify(context, null, 2);
  }
  return JSON.stringify({ input: fromFields(tool.input?.fields ?? [], 1) }, null, 2);
}

/** The default context of a tool named `tool` or `server/tool`; undefined when no tool has that name. */
export function defaultContextFor(name: string, ws: SimulationWorkspace): string | undefined {
  const tool = toolsNamed(name.trim(), ws)[0];
  if (!tool) return undefined;
  return defaultContext(tool, ws.actionOf(tool), ws.schemaFor(tool.file));
}
