import type { Finding } from '../../../server/src/core/findings/finding';
import { workspace } from '../helpers';

/*
 * A small governed workspace for the workspace-rule and configuration tests: one MCP server
 * "payments" with a high-risk tool (create_refund), a read-only one (get_invoice) and one that
 * is medium-risk by default (approve_loan: `destructiveHint: false`, no risk keyword), one agent
 * bound to all three, and policies that decide each pair (approve_loan unconditionally).
 */

export const SCHEMA = `namespace Acme {
  entity Agent;
  entity McpServer;
}
`;

export const TOOLS = `{
  "server": "payments",
  "tools": [
    { "name": "create_refund", "description": "Refund a payment",
      "inputSchema": { "type": "object", "properties": { "amount": { "type": "integer" } }, "required": ["amount"] } },
    { "name": "get_invoice", "description": "Read an invoice", "annotations": { "readOnlyHint": true },
      "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] } },
    { "name": "approve_loan", "description": "Approve a loan application", "annotations": { "destructiveHint": false },
      "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] } }
  ]
}
`;

export const BINDING = `name: billing
principal: Acme::Agent::"billing"
identity:
  type: workload
  id: spiffe://acme/billing
credentials:
  - name: payments-api
    type: jit-token
    ttl: 30m
    revokeOnTaskEnd: true
    secretRef: vault://payments/billing
tools:
  - payments/create_refund
  - payments/get_invoice
  - payments/approve_loan
audit:
  sink: otel://collector:4317
`;

export const POLICIES = `@id("read-invoices")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"get_invoice", resource)
when { context.input.id != "" };

@id("small-refunds")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"create_refund", resource)
when { context.input.amount <= 500 };

@id("loans")
permit (principal == Acme::Agent::"billing", action == Acme::Action::"approve_loan", resource);
`;

/** The workspace with `files` added or replaced; every file checked. */
export function governed(files: Record<string, string> = {}, settings: Record<string, string> = {}) {
  const w = workspace(
    {
      'schema.cedarschema': SCHEMA,
      'tools/payments.tools.json': TOOLS,
      'agents/billing.agent.yaml': BINDING,
      'policies/billing.cedar': POLICIES,
      ...files,
    },
    { actionNamespace: 'Acme', ...settings },
  );
  const check = () => {
    const all = [...w.service.checkAll().values()].flat();
    return { all, rule: (id: string) => all.filter((f: Finding) => f.ruleId === id) };
  };
  return { ...w, ...check(), check };
}
