import { InventoryRequest, type InventoryResult, StatsRequest, type StatsResult } from '../../protocol';
import type { ServerContext } from '../context';
import { uriOfPath } from '../uris';

/** The `agentgov/...` requests. */
export function registerCustomHandlers(ctx: ServerContext): void {
  ctx.connection.onRequest(InventoryRequest, () => ctx.guard('inventory', () => inventory(ctx)) ?? { tools: [], agents: [] });
  ctx.connection.onRequest(StatsRequest, (): StatsResult => {
    const mem = process.memoryUsage();
    return {
      ...ctx.service().stats(),
      rssMB: Math.round(mem.rss / 2 ** 20),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      heapMB: Math.round(mem.heapUsed / 2 ** 20),
      heapTotalMB: Math.round(mem.heapTotal / 2 ** 20),
      externalMB: Math.round(mem.external / 2 ** 20),
      pending: ctx.scheduler.pendingCount(),
      longTasks: ctx.longTasks.list(),
    };
  });
}

/** The core's inventory, with files as URIs. */
function inventory(ctx: ServerContext): InventoryResult {
  const inv = ctx.service().inventory(uriOfPath);
  return {
    tools: inv.tools.map((t) => ({
      name: t.name,
      server: t.server,
      source: t.source,
      uri: t.file,
      range: t.range,
      risk: t.risk,
      riskReason: t.riskReason,
      description: t.description,
      inputFields: t.inputFields,
      agents: t.agents,
    })),
    agents: inv.agents.map((a) => ({
      name: a.name,
      principal: a.principal,
      uri: a.file,
      range: a.range,
      identityType: a.identity?.type,
      audit: a.audit,
      tools: a.tools,
      unknownTools: a.unknownTools,
    })),
  };
}
