import { basename, dirname, join } from 'node:path';
import type { WorkspaceTool } from '../agents/agentIndex';
import type { AgentBinding } from '../bindings/model';
import { codeTokens, unquote } from '../cedar/lexer';
import { policyScope, scopeParts } from '../cedar/scope';
import { actionReach } from '../cedar/slices';
import { isInside } from '../workspace/paths';
import type { FixContext } from './model';

/** Where a new policy for a tool goes: an existing policy file, or a new one (`exists: false`). */
export interface PolicyTarget {
  file: string;
  exists: boolean;
}

/**
 * The policy file that already governs what the tool belongs to: the one whose policies name the
 * agents bound to the tool (the strongest sign), the tool's server as their resource or the tools
 * defined next to it, or actions of the tool's namespace. Without any, a new `<tool>.cedar` in the folder most policy files are
 * in (else `policies/` of the tool's workspace folder), so the new file finds the same schema.
 */
export function policyTarget(
  ctx: FixContext,
  tool: WorkspaceTool,
  agents: AgentBinding[],
  actionType: string,
  siblings: Set<string>,
): PolicyTarget {
  const principals = new Set(
    agents.map((b) => (b.principal?.type ? `${b.principal.type}::${JSON.stringify(b.principal.id)}` : '')),
  );
  const files = ctx.filesOf('policy').filter((f) => ctx.roots.some((r) => isInside(r, f)));
  let best: { file: string; score: number } | undefined;
  for (const file of [...files].sort()) {
    const score = scoreOf(ctx, file, { principals, server: tool.server, actionType, siblings });
    if (score > 0 && (!best || score > best.score)) best = { file, score };
  }
  if (best) return { file: best.file, exists: true };
  return { file: newFileFor(ctx, tool, files), exists: false };
}

/** What makes a policy file the home of a tool's policy. */
interface Affinity {
  /** The bound agents' principals, as `Type::"id"`. */
  principals: Set<string>;
  server: string | undefined;
  /** `Ns::Action`: the tool's action type. */
  actionType: string;
  /** Action keys of the tools defined next to it (same file or same server). */
  siblings: Set<string>;
}

function scoreOf(ctx: FixContext, file: string, a: Affinity): number {
  let agent = false;
  let neighbour = false;
  let namespace = false;
  for (const s of ctx.policyModel(file)?.statements ?? []) {
    const p = policyScope(s.text)?.principal.entity;
    if (p && a.principals.has(`${p.type}::${JSON.stringify(p.id)}`)) agent = true;
    const uids = actionReach(s.text).uids;
    if ((a.server !== undefined && resourceIds(s.text).includes(a.server)) || uids.some((u) => a.siblings.has(u)))
      neighbour = true;
    if (uids.some((u) => u.startsWith(`${a.actionType}::"`))) namespace = true;
  }
  return (agent ? 4 : 0) + (neighbour ? 2 : 0) + (namespace ? 1 : 0);
}

/** The entity ids the resource part of a statement's scope names (`resource == McpServer::"payments"`). */
function resourceIds(text: string): string[] {
  const part = scopeParts(codeTokens(text))?.parts[2] ?? [];
  return part.filter((t) => t.kind === 'string').map((t) => unquote(t.text));
}

function newFileFor(ctx: FixContext, tool: WorkspaceTool, files: string[]): string {
  const byDir = new Map<string, number>();
  for (const f of files) byDir.set(dirname(f), (byDir.get(dirname(f)) ?? 0) + 1);
  const busiest = [...byDir].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const root = ctx.roots.find((r) => isInside(r, tool.file)) ?? ctx.roots[0] ?? dirname(tool.file);
  const dir = busiest ?? join(root, 'policies');
  const stem =
    basename(tool.name)
      .replace(/[^A-Za-z0-9_.-]+/g, '-')
      .replace(/^[.-]+/, '') || 'tool';
  const taken = (p: string) => !!ctx.file(p) || files.includes(p);
  let file = join(dir, `${stem}.cedar`);
  for (let n = 2; taken(file); n++) file = join(dir, `${stem}-${n}.cedar`);
  return file;
}
