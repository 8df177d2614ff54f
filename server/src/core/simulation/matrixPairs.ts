import type { WorkspaceTool } from '../agents/agentIndex';
import type { AgentBinding, ToolRef } from '../bindings/model';
import type { PairInputs } from '../governance/facts/access';

/** The pairs of an `--all` matrix: each agent as a binding that lists every tool, and which of them it really lists. */
export interface AllPairs {
  inputs: PairInputs;
  /** The entries the binding itself has (the others are the matrix's own). */
  listed: Set<ToolRef>;
}

/** A binding's stand-in listing every tool, kept while its binding and the tool list are the same objects. */
const standIns = new WeakMap<
  AgentBinding,
  { tools: WorkspaceTool[]; actions: object; binding: AgentBinding; refs: Map<ToolRef, WorkspaceTool>; listed: ToolRef[] }
>();

function standIn(binding: AgentBinding, tools: WorkspaceTool[], base: PairInputs) {
  const known = standIns.get(binding);
  if (known?.tools === tools && known.actions === base.actions) return known;
  // Where the binding lists a tool, the matrix links its entry; elsewhere, the agent's name.
  const entryOf = new Map<WorkspaceTool, ToolRef>();
  for (const ref of binding.tools) for (const t of base.resolve(ref)) if (!entryOf.has(t)) entryOf.set(t, ref);
  const refs = new Map<ToolRef, WorkspaceTool>();
  const listed: ToolRef[] = [];
  for (const tool of tools) {
    if (!base.actions.has(tool)) continue;
    const entry = entryOf.get(tool);
    // One entry per tool: a bare name the binding lists may resolve to several tools.
    const ref: ToolRef = {
      ref: tool.server ? `${tool.server}/${tool.name}` : tool.name,
      tool: tool.name,
      ...(tool.server ? { server: tool.server } : {}),
      range: entry?.range ?? binding.nameRange,
    };
    refs.set(ref, tool);
    if (entry) listed.push(ref);
  }
  const made = { tools, actions: base.actions, binding: { ...binding, tools: [...refs.keys()] }, refs, listed };
  standIns.set(binding, made);
  return made;
}

/**
 * Every agent × every tool of the workspace, asked of the same machinery as the bound pairs
 * (`decidePairs`): each binding stands in as one listing every tool, with entries resolving to
 * exactly that tool.
 */
export function allPairs(base: PairInputs, tools: WorkspaceTool[]): AllPairs {
  const refs = new Map<ToolRef, WorkspaceTool>();
  const listed = new Set<ToolRef>();
  const bindings = base.bindings.map((b) => {
    const s = standIn(b, tools, base);
    for (const [ref, tool] of s.refs) refs.set(ref, tool);
    for (const ref of s.listed) listed.add(ref);
    return s.binding;
  });
  return {
    inputs: { ...base, bindings, resolve: (ref) => (refs.has(ref) ? [refs.get(ref)!] : base.resolve(ref)) },
    listed,
  };
}
