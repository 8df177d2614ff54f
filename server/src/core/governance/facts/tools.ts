import type { WorkspaceTool } from '../../agents/agentIndex';
import type { AgentBinding } from '../../bindings/model';
import { actionReach } from '../../cedar/slices';
import type { WorkspacePolicy } from '../../policies/policySet';
import type { Subject } from '../subject';
import type { ToolAction } from './actions';
import { reachIndexOf } from './access';

/** Which tools a policy names: its action scope or conditions name the tool's action or a group holding it. */
export function namesTool(policy: WorkspacePolicy, action: ToolAction): boolean {
  const uids = actionReach(policy.statement.text).uids;
  return uids.includes(action.key) || action.groups.some((g) => uids.includes(g));
}

/** One `Tool` subject per tool with a known name (AG001, AG002, AG013). */
export function toolSubjects(
  tools: WorkspaceTool[],
  actions: Map<WorkspaceTool, ToolAction>,
  policies: WorkspacePolicy[],
  agentsOf: (t: WorkspaceTool) => AgentBinding[],
): Subject[] {
  // Policies by the action keys they name, so each tool looks up only its own.
  const byKey = reachIndexOf(policies).byUid;
  return tools
    .filter((t) => t.nameKnown)
    .map((t): Subject => {
      const a = actions.get(t)!;
      const governed = byKey.has(a.key) || a.groups.some((g) => byKey.has(g));
      const bound = agentsOf(t).length > 0;
      // Most tools of an edit keep their facts: the subject they had is handed out again.
      const known = lastSubjects.get(t);
      if (known && known.action === a && known.governed === governed && known.bound === bound) return known.subject;
      const subject = toolSubject(t, governed, bound);
      lastSubjects.set(t, { action: a, governed, bound, subject });
      return subject;
    });
}

const lastSubjects = new WeakMap<WorkspaceTool, { action: ToolAction; governed: boolean; bound: boolean; subject: Subject }>();

function toolSubject(t: WorkspaceTool, governed: boolean, bound: boolean): Subject {
  return {
    type: 'Tool',
    id: `${t.file}#${t.server ?? ''}/${t.name}#${t.nameRange.start.line}:${t.nameRange.start.character}`,
    attrs: {
      name: t.name,
      server: t.server ?? '',
      risk: t.risk.level,
      riskReason: t.risk.reason,
      governed,
      bound,
      readOnlyHint: t.annotations?.readOnlyHint === true,
      destructiveName: t.risk.misleadingReadOnly,
      riskKeyword: t.risk.keyword ?? '',
    },
    file: t.file,
    range: t.nameRange,
    tool: t.name,
  };
}
