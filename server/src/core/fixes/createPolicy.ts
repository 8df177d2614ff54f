import type { WorkspaceTool } from '../agents/agentIndex';
import type { Finding } from '../findings/finding';
import { toolAction } from '../governance/facts/actions';
import { declaresApproval, STEP_UP } from './approval';
import { inputConditions } from './inputConditions';
import type { Fix, FixContext } from './model';
import { policyTarget } from './policyTarget';
import { cedarString, endOf, insertion, lineBreakOf, sameRange, textOf } from './text';

type TypeAndId = { type: string; id: string };

/**
 * AG001 "Create a policy for <tool>": a permit naming the tool's action (which governs it), for
 * each agent bound to the tool (any principal when none is), appended to the policy file that
 * already governs its agents or server, or in a new file. The tool's input fields come as a
 * commented `when` to narrow the call; a high-risk tool gets the approval condition, written only
 * when the action's schema declares `context.approval`, so the policy always validates.
 */
export function createPolicyFix(ctx: FixContext, finding: Finding): Fix | undefined {
  const tool = toolOf(ctx, finding);
  if (!tool) return undefined;
  const action = toolAction(tool, ctx.schemaFor(tool.file), ctx.getSettings(tool.file));
  // toolAction makes both as `{type, id}`.
  const uid = action.action as TypeAndId;
  const server = action.resource as TypeAndId | undefined;
  const bound = ctx.agents.agentsOf(tool).filter((b) => b.principal?.type && b.principal.id !== undefined);
  const target = policyTarget(ctx, tool, bound, uid.type, siblingActions(ctx, tool));
  const schema = ctx.schemaFor(target.file);
  const info = schema?.actions.get(action.key);
  // Agents whose principal type the action does not apply to would make the policy fail validation.
  const agents = info ? bound.filter((b) => info.principalTypes.includes(b.principal!.type!)) : bound;
  const resource =
    server && (!info || info.resourceTypes.includes(server.type))
      ? `resource == ${server.type}::${cedarString(server.id)}`
      : 'resource';
  const approval = tool.risk.level === 'high' && (schema ? !!info && declaresApproval(info) : true);
  const existing = target.exists ? (textOf(ctx, target.file) ?? '') : '';
  const nl = lineBreakOf(existing);
  const ids = new Set([
    ...ctx.policySet().policies.map((p) => p.id),
    ...(ctx.policyModel(target.file)?.statements.map((s) => s.id) ?? []),
  ]);
  const header = [
    oneLine(
      `// Tool "${tool.name}"${tool.server ? ` of server "${tool.server}"` : ''}: risk ${tool.risk.level} (${tool.risk.reason}).`,
    ),
    ...(tool.risk.level === 'high' && !approval
      ? [
          '// High risk: require an approval. The schema declares no `context.approval` for this action: add',
          '// `approval?: { granted: Bool }` to its context, then `when { context has approval && context.approval.granted }`.',
        ]
      : []),
  ];
  const blocks = (agents.length ? agents : [undefined]).map((agent) =>
    permitBlock({
      id: uniqueId(`${agent?.name || 'any-principal'}-${tool.name}`, ids),
      principal: agent ? `principal == ${agent.principal!.type}::${cedarString(agent.principal!.id!)}` : 'principal',
      action: `action == ${uid.type}::${cedarString(uid.id)}`,
      resource,
      fields: inputConditions(info, tool),
      approval,
    }),
  );
  const body = [...header, ...blocks.join('\n\n').split('\n')].join(nl) + nl;
  // One blank line between the file's last policy and the new one.
  const breaks = /(\r\n|\r|\n)*$/.exec(existing)![0].replace(/\r\n/g, '\n').length;
  const prefix = !existing.trim() ? '' : nl.repeat(Math.max(0, 2 - breaks));
  return {
    title: `Create a policy for ${tool.name} in ${ctx.displayPath(target.file)}`,
    ruleId: finding.ruleId,
    finding,
    edits: [insertion(target.file, endOf(existing), prefix + body)],
    ...(target.exists ? {} : { creates: [target.file] }),
    isPreferred: true,
  };
}

/** The action keys of the other tools of the tool's file or server. */
function siblingActions(ctx: FixContext, tool: WorkspaceTool): Set<string> {
  const siblings = ctx.agents
    .tools()
    .filter((t) => t !== tool && t.nameKnown && (t.file === tool.file || (!!tool.server && t.server === tool.server)));
  return new Set(siblings.map((t) => toolAction(t, ctx.schemaFor(t.file), ctx.getSettings(t.file)).key));
}

/** The tool a finding is about: the definition whose name it is on. */
export function toolOf(ctx: FixContext, finding: Finding): WorkspaceTool | undefined {
  const inFile = ctx.agents.tools().filter((t) => t.file === finding.file && t.nameKnown);
  return inFile.find((t) => sameRange(t.nameRange, finding.range)) ?? inFile.find((t) => t.name === finding.tool);
}

/** A line comment stays one line whatever a tool's name or reason holds. */
const oneLine = (comment: string) => comment.replace(/[\r\n\u2028\u2029]+/g, ' ');

function uniqueId(wanted: string, taken: Set<string>): string {
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted}-${n}`;
  taken.add(id);
  return id;
}

interface PermitParts {
  id: string;
  principal: string;
  action: string;
  resource: string;
  fields: string[];
  approval: boolean;
}

function permitBlock(p: PermitParts): string {
  const lines = [`@id(${cedarString(p.id)})`, 'permit (', `  ${p.principal},`, `  ${p.action},`, `  ${p.resource}`, ')'];
  if (p.fields.length) {
    // Commented, so the policy is valid as it stands: uncomment and edit to narrow the call.
    lines.push('// Narrow the call by its input:', '// when {');
    p.fields.forEach((f, i) => lines.push(`//   ${f}${i < p.fields.length - 1 ? ' &&' : ''}`));
    lines.push('// }');
  }
  if (p.approval) lines.push(`when { ${STEP_UP} };`);
  else lines.push(';');
  return lines.join('\n');
}
