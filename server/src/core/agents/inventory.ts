import type { AgentBinding } from '../bindings/model';
import type { Range } from '../text/range';
import type { FieldType, InputField } from '../tools/model';
import type { RiskLevel } from '../tools/risk';
import type { AgentView, WorkspaceTool } from './agentIndex';

export interface InventoryField {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

export interface InventoryTool {
  name: string;
  server?: string;
  source: WorkspaceTool['source'];
  file: string;
  range: Range;
  risk: RiskLevel;
  riskReason: string;
  inputFields: InventoryField[];
  description?: string;
  needsApproval?: boolean | 'dynamic';
  /** Names of the agents whose binding lists this tool. */
  agents: string[];
}

export interface InventoryAgent {
  name: string;
  principal?: string;
  file: string;
  range: Range;
  identity?: { type?: string; id?: string };
  credentials: { name: string; type?: string; ttlSeconds?: number; revokeOnTaskEnd?: boolean }[];
  /** The tool references as written in the binding. */
  tools: string[];
  /** The binding's tool references that resolve to no tool. */
  unknownTools: string[];
  audit?: string;
}

export interface Inventory {
  tools: InventoryTool[];
  agents: InventoryAgent[];
}

/** Every tool and agent of the workspace (`agentgov inventory`, the Governance view). */
export function buildInventory(index: AgentView, file: (path: string) => string = (p) => p): Inventory {
  const bindings = index.bindings();
  const tools = index
    .tools()
    .filter((t) => t.nameKnown)
    .map<InventoryTool>((t) => ({
      name: t.name,
      ...(t.server ? { server: t.server } : {}),
      source: t.source,
      file: file(t.file),
      range: t.nameRange,
      risk: t.risk.level,
      riskReason: t.risk.reason,
      inputFields: (t.input?.fields ?? []).map(field),
      ...(t.description ? { description: t.description } : {}),
      ...(t.needsApproval !== undefined ? { needsApproval: t.needsApproval } : {}),
      agents: index.agentsOf(t).map((b) => b.name),
    }));
  return { tools, agents: bindings.map((b) => agent(b, index, file)) };
}

function agent(b: AgentBinding, index: AgentView, file: (path: string) => string): InventoryAgent {
  return {
    name: b.name,
    ...(b.principal ? { principal: b.principal.text } : {}),
    file: file(b.file),
    range: b.nameRange,
    ...(b.identity ? { identity: { type: b.identity.type, id: b.identity.id } } : {}),
    credentials: b.credentials.map((c) => ({
      name: c.name,
      type: c.type,
      ttlSeconds: c.ttlSeconds,
      revokeOnTaskEnd: c.revokeOnTaskEnd,
    })),
    tools: b.tools.map((r) => r.ref),
    unknownTools: b.tools.filter((r) => !index.resolve(r).length).map((r) => r.ref),
    ...(b.audit?.sink ? { audit: b.audit.sink } : {}),
  };
}

function field(f: InputField): InventoryField {
  return { name: f.name, type: typeName(f.type), required: f.required, ...(f.description ? { description: f.description } : {}) };
}

/** A short readable type: `string`, `integer`, `"EUR" | "USD"`, `string[]`, `object`. */
export function typeName(t: FieldType): string {
  switch (t.kind) {
    case 'string':
      return t.enum ? t.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
    case 'number':
      return t.integer ? 'integer' : 'number';
    case 'array':
      return `${typeName(t.items)}[]`;
    case 'object':
      return `{ ${t.fields.map((f) => `${f.name}${f.required ? '' : '?'}: ${typeName(f.type)}`).join(', ')} }`;
    case 'unknown':
      return 'unknown';
    default:
      return t.kind;
  }
}
