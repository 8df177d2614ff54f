import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodeAction,
  CodeActionKind,
  CodeActionRequest,
  type CreateFile,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspHarness } from './lspHarness';

/*
 * Quick fixes through the protocol: code actions for a published governance diagnostic come
 * back as quick fixes tied to that diagnostic, with a workspace edit the editor can apply; a fix
 * that creates a file uses `documentChanges` with a `CreateFile`, for clients that can.
 */

async function actionsFor(h: LspHarness, uri: string, d: Diagnostic, only?: string[]): Promise<CodeAction[]> {
  const answer = await h.client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d], ...(only ? { only } : {}) },
  });
  return (answer ?? []) as CodeAction[];
}

async function published(h: LspHarness, rel: string, code: string): Promise<Diagnostic> {
  const uri = h.uri(rel);
  const ds = await h.waitForDiagnostics(uri, (list) => list.some((x) => x.code === code));
  return ds.find((x) => x.code === code)!;
}

function applied(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'text', 1, text), edits);
}

const SCHEMA = 'entity Agent;\nentity McpServer;\n';
const PAYMENTS = `{ "server": "payments", "tools": [
  { "name": "get_invoice", "description": "Read an invoice", "annotations": { "readOnlyHint": true }, "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] } },
  { "name": "lookup_history", "description": "Read a customer's payments", "annotations": { "readOnlyHint": true }, "inputSchema": { "type": "object", "properties": { "customer": { "type": "string" } }, "required": ["customer"] } }
] }
`;
const BILLING = `name: billing\nprincipal: Agent::"billing"\nidentity:\n  type: workload\n  id: spiffe://acme/billing\ntools:\n  - payments/get_invoice\n  - payments/lookup_history\naudit:\n  sink: otel://c:4317\n`;
const POLICIES = `// Billing reads invoices.

@id("read-invoices")
permit (principal == Agent::"billing", action == Action::"get_invoice", resource);
`;

describe('code actions (a client without documentChanges)', () => {
  let h: LspHarness;
  beforeAll(async () => {
    h = await LspHarness.start({
      examples: false,
      files: {
        'schema.cedarschema': SCHEMA,
        'tools/payments.tools.json': PAYMENTS,
        'agents/billing.agent.yaml': BILLING,
        'policies/billing.cedar': POLICIES,
      },
    });
  });
  afterAll(async () => h?.dispose());

  it('offers the step-up and the suppression for AG008, tied to the diagnostic, as plain changes', async () => {
    const uri = h.uri('policies/billing.cedar');
    const d = await published(h, 'policies/billing.cedar', 'AG008');
    const actions = await actionsFor(h, uri, d);
    expect(actions.map((a) => a.title)).toEqual([
      'Add a step-up condition (approval) to policy "read-invoices"',
      'Suppress AG008 with a reason',
    ]);
    for (const a of actions) {
      expect(a.kind).toBe(CodeActionKind.QuickFix);
      expect(a.diagnostics).toEqual([d]);
      expect(Object.keys(a.edit?.changes ?? {})).toEqual([uri]);
    }
    expect(actions.map((a) => a.isPreferred ?? false)).toEqual([true, false]);
  });

  it('applying the step-up makes the diagnostic go away', async () => {
    const rel = 'policies/billing.cedar';
    const uri = h.uri(rel);
    const d = await published(h, rel, 'AG008');
    const [stepUp] = await actionsFor(h, uri, d);
    const text = applied(readFileSync(h.path(rel), 'utf8'), stepUp.edit!.changes![uri]);
    expect(text).toContain('resource)\nwhen { context has approval && context.approval.granted };');
    await h.open(rel, text);
    const after = await h.waitForDiagnostics(uri, (ds, p) => p.version === 1 && !ds.some((x) => x.code === 'AG008'), 10_000);
    expect(after.filter((x) => String(x.code).startsWith('cedar-'))).toEqual([]);
    // Closed, the file is the disk's again: the other tests see the workspace as it was.
    const back = h.waitForNextDiagnostics(uri, (ds) => ds.some((x) => x.code === 'AG008'), 10_000);
    await h.close(uri);
    await back;
  });

  it('offers a policy in the file that governs the tool’s agent for AG001 on a tool', async () => {
    const rel = 'tools/payments.tools.json';
    const d = await published(h, rel, 'AG001');
    const actions = await actionsFor(h, h.uri(rel), d);
    expect(actions.map((a) => a.title)).toEqual([
      'Create a policy for lookup_history in policies/billing.cedar',
      'Suppress AG001 with a reason',
    ]);
    expect(Object.keys(actions[0].edit!.changes!)).toEqual([h.uri('policies/billing.cedar')]);
  });

  it('answers nothing where there is no governance diagnostic, or for other kinds of action', async () => {
    const rel = 'policies/billing.cedar';
    const uri = h.uri(rel);
    const d = await published(h, rel, 'AG008');
    expect(await actionsFor(h, uri, d, [CodeActionKind.Refactor])).toEqual([]);
    expect((await actionsFor(h, uri, d, [CodeActionKind.QuickFix])).length).toBe(2);
    const nowhere = { ...d, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    expect(await actionsFor(h, uri, nowhere)).toEqual([]);
  });
});

const TOOLS = `{ "server": "crm", "tools": [ { "name": "lookup_customer", "description": "Look a customer up", "annotations": { "readOnlyHint": true }, "inputSchema": { "type": "object", "properties": { "id": { "type": "string" } } } } ] }\n`;
const BINDING = `name: crm-agent\nprincipal: Agent::"crm-agent"\nidentity:\n  type: workload\n  id: spiffe://acme/crm\ntools:\n  - crm/lookup_customer\naudit:\n  sink: otel://c:4317\n`;
const NO_POLICIES = { 'tools/crm.tools.json': TOOLS, 'agents/crm.agent.yaml': BINDING };

describe('a fix that creates a file', () => {
  it('is a CreateFile and an edit of the new file, for a client that can create files', async () => {
    const h = await LspHarness.start({
      examples: false,
      files: NO_POLICIES,
      capabilities: { workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } },
    });
    try {
      const rel = 'tools/crm.tools.json';
      const d = await published(h, rel, 'AG001');
      const actions = await actionsFor(h, h.uri(rel), d);
      const create = actions.find((a) => a.title.startsWith('Create a policy'))!;
      expect(create.title).toBe('Create a policy for lookup_customer in policies/lookup_customer.cedar');
      const newUri = h.uri('policies/lookup_customer.cedar');
      const [made, edit] = create.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
      expect(made).toEqual({ kind: 'create', uri: newUri });
      expect(edit.textDocument).toEqual({ uri: newUri, version: null });
      const [insert] = edit.edits as TextEdit[];
      expect(insert.range.start).toEqual({ line: 0, character: 0 });
      expect(insert.newText).toContain('permit (\n  principal == Agent::"crm-agent",\n  action == Action::"lookup_customer",');
      // An edit of a file that is not open has no version; of an open one, the document's.
      const suppress = actions.find((a) => a.title.startsWith('Suppress'))!;
      expect((suppress.edit!.documentChanges![0] as TextDocumentEdit).textDocument).toEqual({ uri: h.uri(rel), version: null });
      await h.open(rel, TOOLS, 'json');
      await h.waitForDiagnostics(h.uri(rel), (_, p) => p.version === 1);
      const reopened = (await actionsFor(h, h.uri(rel), d)).find((a) => a.title.startsWith('Suppress'))!;
      expect((reopened.edit!.documentChanges![0] as TextDocumentEdit).textDocument).toEqual({ uri: h.uri(rel), version: 1 });
    } finally {
      await h.dispose();
    }
  });

  it('is left out for a client that cannot create files', async () => {
    const h = await LspHarness.start({ examples: false, files: NO_POLICIES });
    try {
      const rel = 'tools/crm.tools.json';
      const d = await published(h, rel, 'AG001');
      expect((await actionsFor(h, h.uri(rel), d)).map((a) => a.title)).toEqual(['Suppress AG001 with a reason']);
    } finally {
      await h.dispose();
    }
  });
});
