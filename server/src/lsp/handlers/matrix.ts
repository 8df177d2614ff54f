import type { CancellationToken } from 'vscode-languageserver/node';
import { type AccessMatrix, type CellDecision, identityText, type SourceLink } from '../../core/simulation';
import { AccessMatrixRequest, type AccessMatrixResult, type MatrixDecisionItem, type MatrixLink } from '../../protocol';
import type { ServerContext } from '../context';
import { uriOfPath } from '../uris';

const EMPTY: AccessMatrixResult = { all: false, cells: [], gaps: [], requests: 0, ms: 0 };

/** `agentgov/accessMatrix`: the core's access matrix with files as URIs, once the workspace's check has settled. */
export function registerMatrixHandlers(ctx: ServerContext): void {
  ctx.connection.onRequest(AccessMatrixRequest, async (params, token): Promise<AccessMatrixResult> => {
    try {
      await settled(ctx, token);
      if (token.isCancellationRequested) return { ...EMPTY, all: !!params?.all };
      return matrixItems(await ctx.service().accessMatrix({ all: !!params?.all }));
    } catch (e) {
      // An answer, never a dead server: the view says the matrix is empty and the log says why.
      ctx.logError('access matrix', e);
      return { ...EMPTY, all: !!params?.all };
    }
  });
}

/**
 * Waits until no check is pending or running: the matrix then agrees with the diagnostics the
 * editor shows, and its Cedar calls do not compete with a check that an edit just started.
 */
async function settled(ctx: ServerContext, token: CancellationToken): Promise<void> {
  while (ctx.scheduler.pendingCount() > 0 && !token.isCancellationRequested) await new Promise((r) => setTimeout(r, 10));
}

const link = (l: SourceLink): MatrixLink => ({ uri: uriOfPath(l.file), range: l.range });

function decisionItem(d: CellDecision): MatrixDecisionItem {
  return {
    outcome: d.outcome,
    policies: d.policies.map((p) => ({ id: p.id, effect: p.effect, ...link(p) })),
    ...(d.residual ? { residual: d.residual.text } : {}),
    ...(d.undecided ? { undecided: d.undecided } : {}),
  };
}

export function matrixItems(m: AccessMatrix): AccessMatrixResult {
  return {
    all: m.all,
    cells: m.cells.map((c) => ({
      agent: c.agent,
      tool: c.tool,
      ...(c.server ? { server: c.server } : {}),
      risk: c.risk,
      // As the CLI writes them (`identityText`), the credentials apart: the webview gives each its line.
      identity: identityText({ ...c.identity, credentials: [] }),
      credentials: c.identity.credentials.map(
        (cred) => `${cred.name}: ${[cred.type ?? 'untyped', cred.ttl].filter(Boolean).join(' ')}`,
      ),
      audit: c.audit,
      listed: c.listed,
      without: decisionItem(c.without),
      withApproval: decisionItem(c.approved),
      binding: link(c.links.binding),
      definition: link(c.links.tool),
    })),
    gaps: m.gaps.map((g) => ({ agent: g.agent, ...(g.tool ? { tool: g.tool } : {}), reason: g.reason, ...link(g.link) })),
    requests: m.requests,
    ms: Math.round(m.ms * 10) / 10,
  };
}
