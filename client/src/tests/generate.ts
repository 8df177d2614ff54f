// "Generate Request Tests from Today's Decisions": the server answers the test files' new texts;
// this writes them (a new file next to the policy, or the requests added to the one there) and
// opens the first, so the reviewer sees what was pinned down.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { GenerateRequestTestsRequest, type GenerateRequestTestsResult } from '../../../server/src/protocol';

/** Writes each file: a new one with its text, an existing one replaced as one edit (undoable) and saved. */
async function write(files: GenerateRequestTestsResult['files']): Promise<vscode.Uri[]> {
  const edit = new vscode.WorkspaceEdit();
  const existing: vscode.TextDocument[] = [];
  for (const f of files) {
    const uri = vscode.Uri.parse(f.uri);
    if (f.created) edit.createFile(uri, { ignoreIfExists: false, contents: Buffer.from(f.text) });
    else {
      const doc = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), f.text);
      existing.push(doc);
    }
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit');
  for (const doc of existing) await doc.save();
  return files.map((f) => vscode.Uri.parse(f.uri));
}

function summary(r: GenerateRequestTestsResult): string {
  const added = r.files.reduce((n, f) => n + f.added, 0);
  const where = r.files.map((f) => vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri))).join(', ');
  const skipped = r.skipped.length ? ` ${r.skipped.length} skipped (see the output).` : '';
  return `${added} request test${added === 1 ? '' : 's'} written to ${where}, from ${r.pairs} agent × tool pair${r.pairs === 1 ? '' : 's'}.${skipped}`;
}

/**
 * The command: with a policy file's URI (and a policy id), that policy's pairs; without, every
 * bound agent × tool of the workspace. Answers what was written (for the end-to-end tests).
 */
export async function generateRequestTests(
  client: BaseLanguageClient,
  log: vscode.LogOutputChannel,
  uri?: string | vscode.Uri,
  policy?: string,
): Promise<GenerateRequestTestsResult | undefined> {
  const target = typeof uri === 'string' ? uri : uri?.toString();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Generating request tests from today's decisions…" },
    () => client.sendRequest(GenerateRequestTestsRequest, { ...(target ? { uri: target } : {}), ...(policy ? { policy } : {}) }),
  );
  for (const s of result.skipped) log.info(`agentgov: no request test for ${s.agent} → ${s.tool}: ${s.reason}`);
  if (!result.files.length) {
    const why = result.pairs
      ? `every request is already in the test file, or none could be written (${result.skipped.length} skipped; see the output)`
      : 'no bound agent × tool is decided by it';
    void vscode.window.showInformationMessage(`No request tests to write: ${why}.`);
    return result;
  }
  const written = await write(result.files);
  // Opened as a person opens a file: closing its editor then closes the document (a document this
  // extension opened would stay open, and the server would keep its text after a deletion).
  await vscode.commands.executeCommand('vscode.open', written[0], { preview: false });
  void vscode.window.showInformationMessage(summary(result));
  return result;
}
