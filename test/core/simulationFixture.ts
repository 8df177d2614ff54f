import { workspace } from './helpers';

/*
 * A small workspace for simulation and the access matrix: one MCP server "payments" whose
 * actions the schema declares (so the context is typed, extension values included), two agents
 * with entities, and policies with a step-up (a forbid unless approved), a 64-bit literal, an
 * erroring condition and extension functions.
 */

export const SIM_SCHEMA = `namespace Acme {
  entity Team;
  entity Agent in [Team] { tier: Long };
  entity McpServer;
  type Approval = { granted: Bool };
  action "create_refund" appliesTo { principal: [Agent], resource: [McpServer],
    context: { input: { amount: Long, currency?: String }, approval?: Approval } };
  action "get_invoice" appliesTo { principal: [Agent], resource: [McpServer],
    context: { input: { id: String }, approval?: Approval } };
  action "transfer" appliesTo { principal: [Agent], resource: [McpServer],
    context: { input: { cents: Long }, approval?: Approval } };
  action "ping" appliesTo { principal: [Agent], resource: [McpServer],
    context: { input: { from: ipaddr, price: decimal, at: datetime, wait: duration }, approval?: Approval } };
}
`;

export const SIM_TOOLS = `{
  "server": "payments",
  "tools": [
    { "name": "create_refund", "description": "Refund a payment",
      "inputSchema": { "type": "object", "properties": { "amount": { "type": "integer" }, "currency": { "type": "string" } }, "required": ["amount"] } },
    { "name": "get_invoice", "description": "Read an invoice", "annotations": { "readOnlyHint": true },
      "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] } },
    { "name": "transfer", "description": "Transfer money",
      "inputSchema": { "type": "object", "properties": { "cents": { "type": "integer" } }, "required": ["cents"] } },
    { "name": "ping", "description": "Check the line", "annotations": { "readOnlyHint": true },
      "inputSchema": { "type": "object", "properties": { "from": { "type": "string" }, "price": { "type": "string" },
        "at": { "type": "string" }, "wait": { "type": "string" } }, "required": ["from", "price", "at", "wait"] } }
  ]
}
`;

export const SIM_ENTITIES = `[
  { "uid": { "type": "Acme::Team", "id": "finance" }, "attrs": {}, "parents": [] },
  { "uid": { "type": "Acme::Agent", "id": "billing" }, "attrs": { "tier": 3 }, "parents": [{ "type": "Acme::Team", "id": "finance" }] },
  { "uid": { "type": "Acme::Agent", "id": "support" }, "attrs": { "tier": 1 }, "parents": [] }
]
`;

export const BILLING = `name: billing
principal: Acme::Agent::"billing"
identity:
  type: workload
  id: spiffe://acme/billing
credentials:
  - name: payments-api
    type: jit-token
    ttl: 15m
    revokeOnTaskEnd: true
    secretRef: vault://payments/billing
tools:
  - payments/create_refund
  - payments/get_invoice
  - payments/transfer
  - payments/ping
audit:
  sink: otel://collector:4317
`;

export const SUPPORT = `name: support
principal: Acme::Agent::"support"
identity:
  type: workload
  id: spiffe://acme/support
tools:
  - get_invoice
`;

export const SIM_POLICIES = `@id("small-refunds")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource)
when { context.input.amount <= 500 };

@id("big-refunds-need-approval")
forbid (principal, action == Acme::Action::"create_refund", resource)
when { context.input.amount > 500 }
unless { context has approval && context.approval.granted };

@id("approved-refunds")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource)
when { context has approval && context.approval.granted };

@id("senior-invoices")
permit (principal, action == Acme::Action::"get_invoice", resource)
when { principal.tier > 2 };

@id("exact-transfer")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"transfer", resource)
when { context.input.cents == 9007199254740993 };

@id("overflowing-transfer")
permit (principal, action == Acme::Action::"transfer", resource)
when { context.input.cents + 9223372036854775807 > 0 };

@id("ping")
permit (principal, action == Acme::Action::"ping", resource)
when {
  context.input.from.isInRange(ip("10.0.0.0/8")) &&
  context.input.price.lessThan(decimal("1.50")) &&
  context.input.at == datetime("2025-01-01") &&
  context.input.wait == duration("1h")
};
`;

export function simulationWorkspace(extra: Record<string, string> = {}) {
  return workspace({
    'schema.cedarschema': SIM_SCHEMA,
    'tools/payments.tools.json': SIM_TOOLS,
    'platform.cedarentities.json': SIM_ENTITIES,
    'agents/billing.agent.yaml': BILLING,
    'agents/support.agent.yaml': SUPPORT,
    'policies/payments.cedar': SIM_POLICIES,
    ...extra,
  });
}
