import type { WorkspaceTool } from '../agents/agentIndex';
import type { AgentBinding, ToolRef } from '../bindings/model';
import type { ToolAction } from '../governance/facts/actions';
import { didYouMean } from '../text/didYouMean';
import type { SimulationInputError, SimulationRequest } from './types';
import { looksLikeUid, parseUid, plainUid, type Uid, uidText } from './uid';

/** What names in a request are looked up in. */
export interface RequestCatalog {
  bindings: AgentBinding[];
  /** Tools with a known name. */
  tools: WorkspaceTool[];
  actionOf(tool: WorkspaceTool): ToolAction | undefined;
  resolve(ref: Pick<ToolRef, 'tool' | 'server'>): WorkspaceTool[];
  /** Action uids the policies name, as `Ns::Action::"id"`. */
  policyActions: Iterable<string>;
  /** Uids of the entities of the workspace's entities files. */
  entityUids: Uid[];
  /** Principals the policies name (`principal == Agent::"x"`). */
  policyPrincipals: Uid[];
}

/** A request's principal, action and resource as Cedar uids, with the agent and tool they came from. */
export interface ResolvedRequest {
  principal: Uid;
  action: Uid;
  resource: Uid;
  agent?: AgentBinding;
  tool?: WorkspaceTool;
}

type Resolved<T> = T | { error: SimulationInputError };
const failed = <T extends object>(r: Resolved<T>): r is { error: SimulationInputError } => 'error' in r;

/** Turns names into uids; an unknown name is an input error naming the closest known one. */
export function resolveRequest(request: SimulationRequest, catalog: RequestCatalog): Resolved<ResolvedRequest> {
  const principal = resolvePrincipal(request.principal, catalog);
  if (failed(principal)) return principal;
  const action = resolveAction(request.action, catalog);
  if (failed(action)) return action;
  const resource = resolveResource(request.resource, action, catalog);
  if (failed(resource)) return resource;
  const tool =
    action.tools.length === 1 ? action.tools[0] : action.tools.find((t) => sameUid(resourceUid(catalog, t), resource.uid));
  return {
    principal: principal.uid,
    action: action.uid,
    resource: resource.uid,
    ...(principal.agent ? { agent: principal.agent } : {}),
    ...(tool ? { tool } : {}),
  };
}

const sameUid = (a: Uid | undefined, b: Uid) => !!a && a.type === b.type && a.id === b.id;
const actionUid = (catalog: RequestCatalog, t: WorkspaceTool) => plainUid(catalog.actionOf(t)?.action);
const resourceUid = (catalog: RequestCatalog, t: WorkspaceTool) => plainUid(catalog.actionOf(t)?.resource);

/** The closest candidate, or a few of them when none is close: an unknown name always gets a pointer. */
function closest(word: string, candidates: string[]): { suggestion?: string; hint: string } {
  const unique = [...new Set(candidates)].sort();
  if (!unique.length) return { hint: ' The workspace has none.' };
  const near = didYouMean(word, unique, { maxDistance: Math.max(2, Math.floor(word.length / 3)), ignoreCase: true });
  if (near) return { suggestion: near, hint: ` Did you mean ${near}?` };
  const shown = unique.slice(0, 5).join(', ');
  return { hint: ` Known: ${shown}${unique.length > 5 ? `, … (${unique.length})` : ''}.` };
}

function inputError(field: SimulationInputError['field'], message: string, word: string, candidates: string[]) {
  const { suggestion, hint } = closest(word, candidates);
  return { error: { field, message: `${message}${hint}`, ...(suggestion ? { suggestion } : {}) } };
}

const principalOf = (b: AgentBinding): Uid | undefined =>
  b.principal?.type && b.principal.id !== undefined ? { type: b.principal.type, id: b.principal.id } : undefined;

function resolvePrincipal(text: string, catalog: RequestCatalog): Resolved<{ uid: Uid; agent?: AgentBinding }> {
  const word = text.trim();
  if (!word)
    return { error: { field: 'principal', message: 'Give a principal: an agent name or a Cedar uid such as Agent::"x".' } };
  if (looksLikeUid(word)) {
    const uid = parseUid(word);
    if (!uid) return { error: { field: 'principal', message: `${word} is not a Cedar entity uid (Type::"id").` } };
    const agent = catalog.bindings.find((b) => sameUid(principalOf(b), uid));
    const known = [...catalog.bindings.map(principalOf), ...catalog.entityUids, ...catalog.policyPrincipals].filter(
      (u): u is Uid => !!u,
    );
    if (known.some((e) => sameUid(e, uid))) return { uid, ...(agent ? { agent } : {}) };
    return inputError('principal', `No agent binding, entity or policy names ${uidText(uid)}.`, uidText(uid), known.map(uidText));
  }
  const agent = catalog.bindings.find((b) => b.name === word);
  if (!agent)
    return inputError('principal', `No agent is named "${word}".`, word, catalog.bindings.map((b) => b.name).filter(Boolean));
  const uid = principalOf(agent);
  if (!uid)
    return {
      error: { field: 'principal', message: `Agent "${word}" has no principal (\`principal: Agent::"…"\` in its binding).` },
    };
  return { uid, agent };
}

const toolLabel = (t: WorkspaceTool) => (t.server ? `${t.server}/${t.name}` : t.name);

function resolveAction(text: string, catalog: RequestCatalog): Resolved<{ uid: Uid; tools: WorkspaceTool[] }> {
  const word = text.trim();
  if (!word)
    return { error: { field: 'action', message: 'Give an action: a tool name (tool or server/tool) or a Cedar action uid.' } };
  if (looksLikeUid(word)) {
    const uid = parseUid(word);
    if (!uid) return { error: { field: 'action', message: `${word} is not a Cedar action uid (Action::"tool").` } };
    const key = `${uid.type}::${JSON.stringify(uid.id)}`;
    const tools = catalog.tools.filter((t) => catalog.actionOf(t)?.key === key);
    const policyActions = [...catalog.policyActions];
    if (tools.length || policyActions.includes(key)) return { uid, tools };
    const known = [...catalog.tools.map((t) => actionUid(catalog, t)), ...policyActions.map(parseUid)]
      .filter((u): u is Uid => !!u)
      .map(uidText);
    return inputError('action', `No tool or policy has the action ${uidText(uid)}.`, uidText(uid), known);
  }
  const tools = toolsNamed(word, catalog);
  if (!tools.length)
    return inputError('action', `No tool is named "${word}".`, word, [
      ...catalog.tools.map((t) => t.name),
      ...catalog.tools.filter((t) => t.server).map(toolLabel),
    ]);
  const withAction = tools.filter((t) => catalog.actionOf(t));
  if (!withAction.length) return { error: { field: 'action', message: `Tool "${word}" has no Cedar action.` } };
  const uid = actionUid(catalog, withAction[0]);
  if (!uid) return { error: { field: 'action', message: `Tool "${word}" has no Cedar action.` } };
  return { uid, tools: withAction };
}

/** `tool`, or `server/tool` split at whichever `/` names a real server (servers may hold `/`: `@acme/ops`). */
export function toolsNamed(word: string, catalog: Pick<RequestCatalog, 'resolve'>): WorkspaceTool[] {
  const exact = catalog.resolve({ tool: word });
  if (exact.length) return exact;
  for (let i = word.indexOf('/'); i > 0; i = word.indexOf('/', i + 1)) {
    const found = catalog.resolve({ server: word.slice(0, i), tool: word.slice(i + 1) });
    if (found.length) return found;
  }
  return [];
}

function resolveResource(
  text: string | undefined,
  action: { uid: Uid; tools: WorkspaceTool[] },
  catalog: RequestCatalog,
): Resolved<{ uid: Uid }> {
  const word = text?.trim();
  if (word) {
    const uid = parseUid(word);
    if (!uid) return { error: { field: 'resource', message: `${word} is not a Cedar entity uid (Type::"id").` } };
    const known = [...catalog.entityUids, ...catalog.tools.map((t) => resourceUid(catalog, t)).filter((u): u is Uid => !!u)];
    if (known.some((u) => sameUid(u, uid))) return { uid };
    return inputError('resource', `No tool's server or entity is ${uidText(uid)}.`, uidText(uid), known.map(uidText));
  }
  const resources = action.tools.map((t) => resourceUid(catalog, t));
  const uid = resources[0];
  if (uid && resources.every((r) => r && sameUid(r, uid))) return { uid };
  if (action.tools.length > 1)
    return {
      error: {
        field: 'action',
        message: `${action.tools.length} tools have this action (${action.tools.map(toolLabel).join(', ')}): name one as server/tool, or give a resource.`,
      },
    };
  if (action.tools.length === 1)
    return {
      error: {
        field: 'resource',
        message: `The server of tool "${action.tools[0].name}" is not known, so neither is its resource: give one (such as McpServer::"name").`,
      },
    };
  return {
    error: {
      field: 'resource',
      message: `Give a resource: ${uidText(action.uid)} is not the action of a tool of the workspace.`,
    },
  };
}
