import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  activateExtension,
  agentgovDiagnostics,
  describeDiagnostics,
  findIdentifier,
  fmtRange,
  log,
  metrics,
  openFile,
  policyPaths,
  replaceInMemory,
  restore,
  schemaPath,
  waitFor,
} from './helpers';
import * as fs from 'node:fs';

/** Waits for an agentgov diagnostic with exactly `range`; returns it. */
async function diagnosticAt(uri: vscode.Uri, range: vscode.Range, what: string): Promise<vscode.Diagnostic> {
  try {
    return await waitFor(
      () => agentgovDiagnostics(uri).find((d) => d.range.isEqual(range)),
      LSP_TIMEOUT_MS,
      `${what}: an agentgov diagnostic at ${fmtRange(range)}`,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; diagnostics now: ${describeDiagnostics(uri)}`);
  }
}

/** The first `principal.<attr>` / `resource.<attr>` access in the policy whose attr the schema declares. */
function findDeclaredAttributeAccess(
  policy: string,
  schema: string,
): { start: number; attrStart: number; attr: string } | undefined {
  const re = /\b(principal|resource)\.([A-Za-z_][A-Za-z0-9_]*)\b/g;
  for (let m; (m = re.exec(policy));) {
    const lineStart = policy.lastIndexOf('\n', m.index) + 1;
    if (policy.slice(lineStart, m.index).includes('//')) continue;
    if (policy[m.index + m[0].length] === '(') continue; // a method call, not an attribute
    if (new RegExp(`\\b${m[2]}\\??\\s*:`).test(schema))
      return { start: m.index, attrStart: m.index + m[1].length + 1, attr: m[2] };
  }
  return undefined;
}

describe('diagnostics', () => {
  before(async () => {
    await activateExtension();
  });

  it('a syntax error (misspelt effect) gets a diagnostic on exactly the misspelt word', async () => {
    const { doc } = await openFile(policyPaths()[0]);
    const original = doc.getText();
    const at = findIdentifier(original, 'permit') >= 0 ? findIdentifier(original, 'permit') : findIdentifier(original, 'forbid');
    assert.ok(at >= 0, 'no permit/forbid in the example policy');
    const effect = original.startsWith('permit', at) ? 'permit' : 'forbid';
    try {
      const t0 = Date.now();
      await replaceInMemory(doc, at, at + effect.length, `${effect}x`);
      const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + effect.length + 1));
      const d = await diagnosticAt(doc.uri, range, 'misspelt effect');
      metrics.syntaxErrorDiagnosticMs = Date.now() - t0;
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.match(d.message, new RegExp(`${effect}x`), 'message names the misspelt effect');
      log(`diagnostics: ${fmtRange(d.range)} ${d.message} (${metrics.syntaxErrorDiagnosticMs} ms)`);
    } finally {
      await restore(doc, original);
    }
    await waitFor(
      () => !agentgovDiagnostics(doc.uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error),
      LSP_TIMEOUT_MS,
      'errors gone after undo',
    );
  });

  it('a misspelt attribute that the schema declares gets a validation diagnostic on the attribute access', async () => {
    const schema = fs.readFileSync(schemaPath(), 'utf8');
    const files = policyPaths();
    const file = files.find((f) => findDeclaredAttributeAccess(fs.readFileSync(f, 'utf8'), schema));
    assert.ok(file, 'no example policy reads a principal/resource attribute declared in the schema');
    const { doc } = await openFile(file);
    const original = doc.getText();
    const acc = findDeclaredAttributeAccess(original, schema)!;
    const typo = `${acc.attr}_typo`;
    try {
      await replaceInMemory(doc, acc.attrStart, acc.attrStart + acc.attr.length, typo);
      // Cedar locates the error on the whole access expression `principal.<attr>`.
      const range = new vscode.Range(doc.positionAt(acc.start), doc.positionAt(acc.attrStart + typo.length));
      const d = await diagnosticAt(doc.uri, range, `misspelt attribute ${typo}`);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.match(d.message, new RegExp(typo), 'message names the attribute');
    } finally {
      await restore(doc, original);
    }
  });

  it('converts UTF-8 error offsets to UTF-16 columns (non-ASCII text before the error)', async () => {
    const { doc } = await openFile(policyPaths()[0]);
    const original = doc.getText();
    const added = `${original.endsWith('\n') ? '' : '\n'}permit (principal, action, resource) when { "naïve 🚀 ünïcode" == };\n`;
    try {
      await replaceInMemory(doc, original.length, original.length, added);
      const brace = original.length + added.lastIndexOf('}');
      const range = new vscode.Range(doc.positionAt(brace), doc.positionAt(brace + 1));
      await diagnosticAt(doc.uri, range, 'unexpected `}` after non-ASCII text');
    } finally {
      await restore(doc, original);
    }
  });

  it('the example policies and schema have no agentgov errors (after the edits above were undone)', async () => {
    const files = [...policyPaths(), schemaPath()];
    for (const f of files) {
      const { doc } = await openFile(f, false);
      const errors = () => agentgovDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      await waitFor(() => errors().length === 0, LSP_TIMEOUT_MS, `no errors in ${f}`).catch((e) => {
        throw new Error(`${e.message}; diagnostics now: ${describeDiagnostics(doc.uri)}`);
      });
    }
  });
});
