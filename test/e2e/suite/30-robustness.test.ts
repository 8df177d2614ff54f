import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  OUT_DIR,
  activateExtension,
  agentgovDiagnostics,
  describeDiagnostics,
  findIdentifier,
  openFile,
  policyPaths,
  replaceInMemory,
  restore,
  waitFor,
} from './helpers';

describe('robustness', () => {
  const tmp = path.join(OUT_DIR, 'tmp');
  const opened: vscode.TextDocument[] = [];

  before(async () => {
    await activateExtension();
    fs.mkdirSync(tmp, { recursive: true });
  });

  after(async () => {
    for (const doc of opened) {
      if (doc.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    }
  });

  it('broken and binary-ish .cedar files get a diagnostic and do not stop diagnostics of the others', async () => {
    // Garbage: control bytes, invalid UTF-8, unbalanced braces, a very long line, deep nesting.
    // (No NUL on disk: VS Code refuses to open such a file as text; the untitled one below has NULs.)
    const garbage = Buffer.concat([
      Buffer.from('permit(principal, action, resource) when { '),
      Buffer.from([0x01, 0x02, 0xff, 0xfe, 0xc3, 0x28, 0x1b, 0x5b, 0x30, 0x6d, 0xed, 0xa0, 0x80, 0x0a]),
      Buffer.from(`${'('.repeat(2000)}\n${'x'.repeat(20000)}\n}}}}} @@@ ::" \n`),
    ]);
    const brokenFile = path.join(tmp, 'broken.cedar');
    fs.writeFileSync(brokenFile, garbage);
    const { doc: broken } = await openFile(brokenFile);
    opened.push(broken);
    assert.equal(broken.languageId, 'cedar');
    await waitFor(() => agentgovDiagnostics(broken.uri).length > 0, LSP_TIMEOUT_MS, 'a diagnostic on the broken file').catch(
      (e) => {
        throw new Error(`${e.message}; diagnostics now: ${describeDiagnostics(broken.uri)}`);
      },
    );

    // An untitled garbage document too.
    const untitled = await vscode.workspace.openTextDocument({
      language: 'cedar',
      content: '\u0000\u0007 forbid ((((( "unterminated \uFFFD',
    });
    await vscode.window.showTextDocument(untitled, { preview: false });

    // The example policies are still checked: introduce an error in one and see it reported.
    const { doc } = await openFile(policyPaths()[0]);
    opened.push(doc);
    const original = doc.getText();
    const at = findIdentifier(original, 'permit') >= 0 ? findIdentifier(original, 'permit') : findIdentifier(original, 'forbid');
    assert.ok(at >= 0, 'no permit/forbid in the example policy');
    try {
      await replaceInMemory(doc, at, at, 'oops ');
      const pos = doc.positionAt(at);
      await waitFor(
        () => agentgovDiagnostics(doc.uri).some((d) => d.range.start.line === pos.line),
        LSP_TIMEOUT_MS,
        `a diagnostic on line ${pos.line} of ${path.basename(doc.uri.fsPath)} after the broken files`,
      ).catch((e) => {
        throw new Error(`${e.message}; diagnostics now: ${describeDiagnostics(doc.uri)}`);
      });
    } finally {
      await restore(doc, original);
    }
    await vscode.window.showTextDocument(untitled);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(broken);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
