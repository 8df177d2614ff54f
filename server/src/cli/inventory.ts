import type { Inventory } from '../core/agents/inventory';
import { scanFolder } from './scanFolder';

/** Tools and agents of a folder, files relative with `/`. */
export function runInventory(dir: string): Inventory {
  const service = scanFolder(dir);
  return service.inventory((p) => service.displayPath(p));
}

/** A readable listing: agents with their tools, then every tool with its risk and inputs. */
export function formatInventoryText(inv: Inventory): string {
  const lines: string[] = [];
  lines.push(`Agents (${inv.agents.length})`);
  for (const a of inv.agents) {
    lines.push(
      `  ${a.name}  ${a.principal ?? '(no principal)'}  identity: ${a.identity?.type ?? 'none'}  audit: ${a.audit ?? 'none'}  [${a.file}:${a.range.start.line + 1}]`,
    );
    for (const t of a.tools) lines.push(`    - ${t}${a.unknownTools.includes(t) ? '  (unknown tool)' : ''}`);
  }
  lines.push('', `Tools (${inv.tools.length})`);
  for (const t of inv.tools) {
    const inputs = t.inputFields.map((f) => `${f.name}${f.required ? '' : '?'}: ${f.type}`).join(', ');
    lines.push(
      `  ${t.server ? `${t.server}/` : ''}${t.name}  risk: ${t.risk}  (${t.source})  [${t.file}:${t.range.start.line + 1}]`,
    );
    lines.push(`    inputs: ${inputs || 'none'}`);
    lines.push(`    agents: ${t.agents.join(', ') || 'none (no identity is accountable for it)'}`);
  }
  return lines.join('\n');
}
