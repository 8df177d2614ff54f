import type { AgentView } from '../../agents/agentIndex';
import { didYouMean } from '../../text/didYouMean';
import type { Subject } from '../subject';

/** One `ToolReference` subject per entry of every binding's `tools:` (AG003). */
export function bindingReferenceSubjects(agents: AgentView): Subject[] {
  const known = agents.tools().filter((t) => t.nameKnown);
  const names = new Set(known.map((t) => t.name));
  return agents.bindings().flatMap((b) =>
    b.tools.map((ref, i): Subject => {
      const exists = agents.resolve(ref).length > 0;
      let suggestion = '';
      if (!exists) {
        const sameName = known.filter((t) => t.name === ref.tool);
        const nearest = didYouMean(ref.tool, names, { maxDistance: Math.max(2, Math.floor(ref.tool.length / 3)) });
        suggestion = sameName.length
          ? `"${ref.tool}" exists on ${sameName.map((t) => `server "${t.server ?? '?'}"`).join(', ')}, not on "${ref.server}".`
          : nearest
            ? `Did you mean "${nearest}"? Otherwise define the tool or remove it from the binding.`
            : 'Define the tool, fix its name, or remove it from the binding.';
      }
      return {
        type: 'ToolReference',
        id: `${b.file}#tools[${i}]`,
        attrs: { from: 'binding', agent: b.name || '(unnamed)', reference: ref.ref, exists, suggestion },
        file: b.file,
        range: ref.range,
        agent: b.name,
        tool: ref.tool,
      };
    }),
  );
}
