import type { AgentView } from '../../agents/agentIndex';
import { didYouMean } from '../../text/didYouMean';
import type { Subject } from '../subject';

/** One `ToolReference` subject per entry of every binding's `tools:` (AG003). */
export function bindingReferenceSubjects(agents: AgentView): Subject[] {
  const known = agents.tools().filter((t) => t.nameKnown);
  const byName = new Map<string, typeof known>();
  for (const t of known) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
  // By server and name: a mangled binding can list the same unknown name thousands of times (the
  // fuzzer's megabyte line of `ab, ab, …` held the server's thread for seconds on every check).
  const suggestions = new Map<string, string>();
  const suggest = (ref: { tool: string; server?: string }): string => {
    const key = `${ref.server ?? ''}\u0000${ref.tool}`;
    let out = suggestions.get(key);
    if (out !== undefined) return out;
    const sameName = byName.get(ref.tool) ?? [];
    const nearest = sameName.length
      ? undefined
      : didYouMean(ref.tool, byName.keys(), { maxDistance: Math.max(2, Math.floor(ref.tool.length / 3)) });
    out = sameName.length
      ? `"${ref.tool}" exists on ${sameName.map((t) => `server "${t.server ?? '?'}"`).join(', ')}, not on "${ref.server}".`
      : nearest
        ? `Did you mean "${nearest}"? Otherwise define the tool or remove it from the binding.`
        : 'Define the tool, fix its name, or remove it from the binding.';
    suggestions.set(key, out);
    return out;
  };
  return agents.bindings().flatMap((b) =>
    b.tools.map((ref, i): Subject => {
      const exists = agents.resolve(ref).length > 0;
      const suggestion = exists ? '' : suggest(ref);
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
