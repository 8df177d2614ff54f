import type { WorkspaceTool } from '../agents/agentIndex';
import { entitiesValue } from '../cedar/entitiesFile';
import { toolAction } from '../governance/facts/actions';
import type { GovernanceService } from '../service';
import type { Range } from '../text/range';
import { contextJsonSchema, type JsonSchema } from './contextSchema';
import { toolsNamed } from './resolveRequest';
import { plainUid, type Uid, uidText } from './uid';

/** An agent an editor offers as the principal. */
export interface AgentChoice {
  name: string;
  /** `Ns::Agent::"name"`, when the binding names one. */
  principal?: string;
  file: string;
  range: Range;
  /** The tools its binding lists, as written. */
  tools: string[];
}

/** A tool an editor offers as the action. */
export interface ToolChoice {
  /** `server/tool`, or the bare name for a tool without a known server: what a request names it by. */
  label: string;
  name: string;
  server?: string;
  description?: string;
  risk: string;
  /** Its Cedar action and default resource (the tool's server), as uids. */
  action: string;
  resource?: string;
  file: string;
  range: Range;
}

/** What the pickers of a simulation offer: every agent, tool, known resource and request test file. */
export interface SimulationChoices {
  agents: AgentChoice[];
  tools: ToolChoice[];
  /** Every resource uid the workspace knows: the tools' servers and the entities of its entities files. */
  resources: string[];
  testFiles: string[];
}

export type ChoicesView = Pick<
  GovernanceService,
  'tools' | 'bindings' | 'schemaFor' | 'getSettings' | 'filesOf' | 'file' | 'requestTestFiles' | 'defaultContext' | 'resolveTool'
>;

const labelOf = (t: { name: string; server?: string }) => (t.server ? `${t.server}/${t.name}` : t.name);

const actionOf = (view: ChoicesView, t: WorkspaceTool) => toolAction(t, view.schemaFor(t.file), view.getSettings(t.file));

/** The agents, tools and resources of the workspace, for the pickers (no Cedar call). */
export function simulationChoices(view: ChoicesView): SimulationChoices {
  const agents = view
    .bindings()
    .filter((b) => b.name)
    .map((b) => ({
      name: b.name,
      ...(b.principal?.type && b.principal.id !== undefined
        ? { principal: uidText({ type: b.principal.type, id: b.principal.id }) }
        : {}),
      file: b.file,
      range: b.nameRange,
      tools: b.tools.map((r) => (r.server ? `${r.server}/${r.tool}` : r.tool)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const tools: ToolChoice[] = [];
  const resources = new Set<string>();
  for (const t of view.tools()) {
    if (!t.nameKnown) continue;
    const a = actionOf(view, t);
    const resource = plainUid(a.resource);
    if (resource) resources.add(uidText(resource));
    tools.push({
      label: labelOf(t),
      name: t.name,
      ...(t.server ? { server: t.server } : {}),
      ...(t.description ? { description: t.description } : {}),
      risk: t.risk.level,
      action: uidText(plainUid(a.action)!),
      ...(resource ? { resource: uidText(resource) } : {}),
      file: t.file,
      range: t.nameRange,
    });
  }
  tools.sort((a, b) => a.label.localeCompare(b.label));
  for (const path of view.filesOf('entities')) {
    for (const e of entitiesValue(view.file(path)?.text ?? '') ?? []) {
      const uid = plainUid((e as { uid?: Uid } | null)?.uid);
      if (uid) resources.add(uidText(uid));
    }
  }
  return { agents, tools, resources: [...resources].sort(), testFiles: view.requestTestFiles() };
}

/** The context a simulation of a tool starts from, and the JSON Schema its editor checks it with. */
export function simulationContext(view: ChoicesView, tool: string): { context: string; schema: JsonSchema } | undefined {
  const found = toolsNamed(tool.trim(), { resolve: (ref) => view.resolveTool(ref).filter((t) => t.nameKnown) })[0];
  const context = view.defaultContext(tool);
  if (!found || context === undefined) return undefined;
  return { context, schema: contextJsonSchema(found, actionOf(view, found), view.schemaFor(found.file)) };
}
