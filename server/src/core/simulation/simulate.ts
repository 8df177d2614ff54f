import { cedarGateway, type CedarValue, type DetailedError } from '../cedar/gateway';
import type { SchemaModel } from '../cedar/schemaModel';
import { validationJson } from '../cedar/slices';
import type { WorkspacePolicy } from '../policies/policySet';
import { readContext } from './readContext';
import { resolveRequest, type ResolvedRequest } from './resolveRequest';
import type { PolicyLink, SimulationRequest, SimulationResult } from './types';
import type { SimulationWorkspace } from './workspace';

export function policyLink(p: WorkspacePolicy): PolicyLink {
  return { id: p.id, effect: p.effect ?? 'permit', file: p.file, range: p.range };
}

/** The schema the request is validated against: the one of the tool's file (its action's), else the agent's, else the policies'. */
function schemaOf(ws: SimulationWorkspace, r: ResolvedRequest): SchemaModel | undefined {
  const file = r.tool?.file ?? r.agent?.file ?? ws.anchorFile;
  return file ? ws.schemaFor(file) : undefined;
}

/** A schema preparsed in Cedar by its content, or undefined when Cedar cannot take it (the check reports that). */
function preparsedSchema(schema: SchemaModel | undefined): string | undefined {
  if (!schema?.valid) return undefined;
  const name = `simulation-${schema.key}`;
  return cedarGateway.preparseSchema(name, schema.key, validationJson(schema)).length ? undefined : name;
}

const messageOf = (e: DetailedError) => (e.help ? `${e.message} (${e.help})` : e.message);

/**
 * One request decided by the workspace's policy set (SPEC §7): its entities, and when it has a
 * schema, the request validated against it. Names are resolved first (an unknown one is an input
 * error naming the closest), the context read exactly. Never throws.
 */
export function simulate(request: SimulationRequest, ws: SimulationWorkspace): SimulationResult {
  const started = performance.now();
  try {
    const resolved = resolveRequest(request, ws);
    if ('error' in resolved) return { ok: false, error: resolved.error };
    const read = readContext(request.context);
    if ('error' in read) return { ok: false, error: read.error };
    const normalized = {
      principal: resolved.principal,
      action: resolved.action,
      resource: resolved.resource,
      context: read.context,
    };
    const schemaName = preparsedSchema(schemaOf(ws, resolved));
    const answer = ws.policySet.authorize(
      { ...normalized, context: normalized.context as Record<string, CedarValue> },
      ws.entities,
      schemaName,
    );
    const { agent, tool } = resolved;
    const base = {
      ok: true as const,
      request: normalized,
      ...(agent ? { agent: { name: agent.name, file: agent.file, range: agent.nameRange } } : {}),
      ...(tool
        ? { tool: { name: tool.name, ...(tool.server ? { server: tool.server } : {}), file: tool.file, range: tool.nameRange } }
        : {}),
      validated: !!schemaName,
    };
    if ('failure' in answer)
      return { ...base, determining: [], errors: [], failures: answer.failure.map(messageOf), ms: performance.now() - started };
    return {
      ...base,
      decision: answer.decision.decision,
      determining: answer.determining.map(policyLink),
      errors: answer.decision.errors.map((e) => {
        const p = ws.policySet.byId(e.policyId);
        return { policyId: p?.id ?? e.policyId, message: e.message, ...(p ? { policy: policyLink(p) } : {}) };
      }),
      failures: [],
      ms: performance.now() - started,
    };
  } catch (e) {
    // A bug or an input nobody foresaw: said as an answer, never thrown at an editor or the CLI.
    return {
      ok: false,
      error: { field: 'request', message: `This request could not be simulated: ${e instanceof Error ? e.message : String(e)}` },
    };
  }
}
