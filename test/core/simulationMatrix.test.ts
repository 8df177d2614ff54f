import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cedarGateway } from '../../server/src/core/cedar/gateway';
import { GovernanceService } from '../../server/src/core/service';
import type { AccessMatrix, MatrixCell } from '../../server/src/core/simulation';
import { nodeFileSystem } from '../../server/src/core/workspace/fileSystem';
import { posOf } from './helpers';
import { BILLING, SIM_POLICIES, simulationWorkspace } from './simulationFixture';

const cell = (m: AccessMatrix, agent: string, tool: string): MatrixCell => {
  const found = m.cells.find((c) => c.agent === agent && c.tool === tool);
  if (!found) throw new Error(`no cell ${agent} × ${tool}`);
  return found;
};

describe('access matrix', () => {
  it('has one cell per bound agent × listed tool, each decided without and with an approval', async () => {
    const { service } = simulationWorkspace();
    const m = await service.accessMatrix();
    expect(m.cells.map((c) => [c.agent, c.tool, c.decision, c.withApproval])).toEqual([
      ['billing', 'create_refund', 'depends', 'allow'],
      ['billing', 'get_invoice', 'allow', 'allow'],
      ['billing', 'ping', 'depends', 'depends'],
      ['billing', 'transfer', 'depends', 'depends'],
      ['support', 'get_invoice', 'deny', 'deny'],
    ]);
    expect(m.requests).toBe(10);
    expect(m.all).toBe(false);
  });

  it('a step-up: depends on the input without an approval, allowed with one (the forbid unless approved no longer holds)', async () => {
    const { service } = simulationWorkspace();
    const c = cell(await service.accessMatrix(), 'billing', 'create_refund');
    expect(c.without.policies.map((p) => p.id)).toEqual(['small-refunds', 'big-refunds-need-approval']);
    expect(c.approved.policies.map((p) => p.id)).toEqual(['approved-refunds']);
    expect(c.approved.residual).toBeUndefined();
  });

  it('says where a decision depends on the input, in readable Cedar', async () => {
    const { service } = simulationWorkspace();
    const m = await service.accessMatrix();
    expect(cell(m, 'billing', 'create_refund').without.residual).toMatchObject({
      text: 'allowed when context.input.amount <= 500, unless context.input.amount > 500',
      when: 'context.input.amount <= 500',
      unless: 'context.input.amount > 500',
    });
    // The 64-bit literal as the policy wrote it (Cedar hands it back rounded to 2^53).
    expect(cell(m, 'billing', 'transfer').without.residual?.when).toBe(
      'context.input.cents == 9007199254740993 || context.input.cents + 9223372036854775807 > 0',
    );
    expect(cell(m, 'billing', 'ping').without.residual?.when).toBe(
      'context.input.from.isInRange(ip("10.0.0.0/8")) && context.input.price.lessThan(decimal("1.50")) && ' +
        'context.input.at == datetime("2025-01-01") && context.input.wait == duration("1h")',
    );
  });

  it('links the determining policies, the binding entry and the tool definition', async () => {
    const { service, path } = simulationWorkspace();
    const c = cell(await service.accessMatrix(), 'billing', 'get_invoice');
    expect(c.policies).toEqual(['senior-invoices']);
    expect(c.without.policies[0]).toEqual({
      id: 'senior-invoices',
      effect: 'permit',
      file: path('policies/payments.cedar'),
      range: { start: posOf(SIM_POLICIES, '@id("senior-invoices")'), end: posOf(SIM_POLICIES, '> 2 };', 6) },
    });
    expect(c.links.binding).toEqual({
      file: path('agents/billing.agent.yaml'),
      range: { start: posOf(BILLING, 'payments/get_invoice'), end: posOf(BILLING, 'payments/get_invoice', 20) },
    });
    expect(c.links.tool.file).toBe(path('tools/payments.tools.json'));
    expect(c.risk.level).toBe('low');
  });

  it('carries the identity and audit columns, never a secret', async () => {
    const leaky = BILLING.replace('id: spiffe://acme/billing', 'id: sk-live-abcdefghijklmnopqrstuvwxyz0123456789')
      .replace('otel://collector:4317', 'https://audit:hunter2hunter2@logs.example/ingest')
      .replace('secretRef: vault://payments/billing', 'secretRef: ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    const { service } = simulationWorkspace({ 'agents/billing.agent.yaml': leaky });
    const m = await service.accessMatrix();
    const c = cell(m, 'billing', 'create_refund');
    expect(c.identity).toEqual({
      type: 'workload',
      id: expect.stringMatching(/^sk-l…\(\d+ chars\)$/),
      credentials: [{ name: 'payments-api', type: 'jit-token', ttl: '15m' }],
    });
    expect(c.audit).toMatch(/^http…\(\d+ chars\)$/);
    const everything = JSON.stringify(m);
    for (const secret of ['hunter2', 'abcdefghijklmnop', 'ghp_']) expect(everything).not.toContain(secret);
    expect(cell(m, 'support', 'get_invoice').audit).toBe('none');
  });

  it('--all: every agent × every tool, the pairs no binding lists marked and linked to the agent', async () => {
    const { service, path } = simulationWorkspace();
    const m = await service.accessMatrix({ all: true });
    expect(m.all).toBe(true);
    expect(m.cells).toHaveLength(8);
    const unlisted = cell(m, 'support', 'ping');
    expect(unlisted).toMatchObject({ listed: false, decision: 'depends' });
    expect(unlisted.links.binding).toEqual({ file: path('agents/support.agent.yaml'), range: expect.anything() });
    expect(cell(m, 'support', 'create_refund')).toMatchObject({ listed: false, decision: 'deny', withApproval: 'deny' });
    expect(cell(m, 'support', 'get_invoice').listed).toBe(true);
    expect(cell(m, 'billing', 'transfer').listed).toBe(true);
  });

  it('lists what it cannot decide: an agent without a principal, an entry naming no tool', async () => {
    const { service } = simulationWorkspace({
      'agents/nobody.agent.yaml': 'name: nobody\ntools:\n  - get_invoice\n',
      'agents/support.agent.yaml': 'name: support\nprincipal: Acme::Agent::"support"\ntools:\n  - get_invoice\n  - get_invoise\n',
    });
    const m = await service.accessMatrix();
    expect(m.gaps.map((g) => [g.agent, g.tool, g.reason.slice(0, 24)])).toEqual([
      ['nobody', undefined, 'its binding names no Ced'],
      ['support', 'get_invoise', 'no tool of the workspace'],
    ]);
    expect(m.cells.some((c) => c.agent === 'nobody')).toBe(false);
  });

  it('decides the same as the governance rules read (AG011 on the examples’ publish_report)', async () => {
    const root = join(__dirname, '../../examples');
    const service = new GovernanceService({ fs: nodeFileSystem, roots: [root] });
    service.scan();
    const m = await service.accessMatrix();
    const publish = cell(m, 'analytics-agent', 'publish_report');
    expect(publish).toMatchObject({ decision: 'allow', withApproval: 'allow', policies: ['analytics-publish-report'] });
    const ag011 = [...service.checkAll().values()].flat().find((f) => f.ruleId === 'AG011');
    expect(ag011).toMatchObject({ agent: 'analytics-agent', tool: 'publish_report', policy: 'analytics-publish-report' });
    const refund = cell(m, 'billing-assistant', 'create_refund');
    expect(refund.without.residual?.text).toBe(
      'allowed when context.input.amount <= 500 && context.input.currency == "EUR", unless context.input.amount > 500',
    );
    expect(refund.approved.residual?.text).toBe('allowed when context.input.amount <= 500 && context.input.currency == "EUR"');
    expect(cell(m, 'oncall-assistant', 'restart_service')).toMatchObject({ decision: 'depends', withApproval: 'allow' });
    expect(cell(m, 'deploy-bot', 'deploy_service').approved.residual?.when).toBe(
      'context.input.environment == "staging" || context.input.environment == "production"',
    );
    expect(m.gaps).toEqual([expect.objectContaining({ agent: 'research-agent', tool: 'summarize_page' })]);
  });
});

describe('access matrix warm-up (the server runs it once a check settles)', () => {
  const partialCalls = () => cedarGateway.callStats().authorizePartial?.calls ?? 0;

  // A policy that never applies: every slice changes (questions no other test asked), no decision does.
  const never = (id: string) => `@id("${id}")\nforbid (principal, action, resource) when { context has input && false };\n`;

  it('decides what the matrix asks beyond the check, so the matrix then asks Cedar nothing', async () => {
    const { service, path } = simulationWorkspace();
    service.changeDocument(path('policies/payments.cedar'), `${SIM_POLICIES}\n${never('warm-up-1')}`);
    service.checkAll();
    // Without the warm-up the matrix would ask (the second test shows it).
    await service.warmAccessMatrix(() => true);
    const before = partialCalls();
    const m = await service.accessMatrix();
    expect(m.cells.length).toBeGreaterThan(0);
    expect(partialCalls()).toBe(before);
  });

  it('does nothing once the editor is busy again, and the matrix is still right', async () => {
    const { service, path } = simulationWorkspace();
    service.changeDocument(path('policies/payments.cedar'), `${SIM_POLICIES}\n${never('warm-up-2')}`);
    service.checkAll();
    const before = partialCalls();
    await service.warmAccessMatrix(() => false);
    expect(partialCalls()).toBe(before);
    const c = cell(await service.accessMatrix(), 'billing', 'create_refund');
    expect([c.decision, c.withApproval]).toEqual(['depends', 'allow']);
    expect(partialCalls()).toBeGreaterThan(before);
  });
});
