// "Save as test…": pick a request test file of the workspace or name a new one (an input box, not
// an OS dialog); the server writes the request with today's answer as its expectation, the editor
// applies the edit, and the saved request is run at once to say whether it passes there.
import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  RunSavedTestRequest,
  SaveAsTestRequest,
  SimulationChoicesRequest,
  type SimulationRequestParams,
} from '../../../server/src/protocol';

const SUFFIX = '.cedartests.json';
const segment = (s: string) => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'request';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `tests/<agent>-<tool>.cedartests.json` in the first workspace folder, numbered until it is new. */
async function defaultName(folder: vscode.Uri, request: SimulationRequestParams): Promise<string> {
  const tool = request.action.slice(request.action.lastIndexOf('/') + 1);
  const base = `tests/${segment(request.principal)}-${segment(tool)}`;
  for (let n = 1; ; n++) {
    const name = `${base}${n === 1 ? '' : `-${n}`}${SUFFIX}`;
    if (!(await exists(vscode.Uri.joinPath(folder, name)))) return name;
  }
}

/** The file to save into: an existing test file, or a new one named in an input box. */
async function pickTestFile(client: BaseLanguageClient, request: SimulationRequestParams): Promise<vscode.Uri | undefined> {
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0];
  const folder = workspaceFolder?.uri;
  const { testFiles } = await client.sendRequest(SimulationChoicesRequest);
  const NEW = '$(new-file) New test file…';
  const picked = await vscode.window.showQuickPick(
    [
      { label: NEW, description: 'a new *.cedartests.json with the workspace’s policies, entities and schema' },
      ...(testFiles.length ? [{ label: 'existing test files', kind: vscode.QuickPickItemKind.Separator }] : []),
      ...testFiles.map((uri) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.parse(uri)), uri })),
    ] as (vscode.QuickPickItem & { uri?: string })[],
    { title: 'Save the request as a test', placeHolder: 'Append it to a request test file, or create one' },
  );
  if (!picked) return undefined;
  if (picked.uri) return vscode.Uri.parse(picked.uri);
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: a new test file goes into a workspace folder.');
    return undefined;
  }
  const value = await defaultName(folder, request);
  const name = await vscode.window.showInputBox({
    title: 'New request test file',
    prompt: `Path relative to the workspace folder ${workspaceFolder?.name ?? ''}: it gets the request, expecting today's answer`,
    value,
    valueSelection: [value.lastIndexOf('/') + 1, value.length - SUFFIX.length],
    validateInput: async (v) => {
      const rel = v.trim();
      if (!rel.endsWith(SUFFIX)) return `A request test file's name ends with ${SUFFIX}.`;
      if (rel.startsWith('/') || rel.split(/[\\/]/).includes('..')) return 'A path inside the workspace folder.';
      if (await exists(vscode.Uri.joinPath(folder, rel))) return 'That file exists: pick it in the list to append to it.';
      return undefined;
    },
  });
  return name ? vscode.Uri.joinPath(folder, name.trim()) : undefined;
}

/** Shows the saved request (its range in the file) in an editor. */
async function reveal(doc: vscode.TextDocument, index: number): Promise<void> {
  const text = doc.getText();
  const node = findNodeAtLocation(parseTree(text, [], { allowTrailingComma: true }) ?? { type: 'null', offset: 0, length: 0 }, [
    'requests',
    index,
  ]);
  const start = doc.positionAt(node?.offset ?? 0);
  const end = doc.positionAt((node?.offset ?? 0) + (node?.length ?? 0));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  editor.selection = new vscode.Selection(start, start);
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/**
 * Saves a request as a test. Answers what happened (for the result view), or undefined when the
 * person cancelled.
 */
export async function saveRequestAsTest(
  client: BaseLanguageClient,
  request: SimulationRequestParams,
): Promise<{ message: string; passed: boolean } | undefined> {
  const uri = await pickTestFile(client, request);
  if (!uri) return undefined;
  const saved = await client.sendRequest(SaveAsTestRequest, { request, uri: uri.toString() });
  if (!saved.ok) {
    void vscode.window.showErrorMessage(`Not saved: ${saved.message}`);
    return { message: `Not saved: ${saved.message}`, passed: false };
  }
  const edit = new vscode.WorkspaceEdit();
  if (saved.created) edit.createFile(uri, { contents: Buffer.from(saved.text, 'utf8'), overwrite: false });
  else
    for (const e of saved.edits)
      edit.replace(
        uri,
        new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character),
        e.newText,
      );
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Not saved: VS Code refused the edit of ${uri.fsPath}.`);
    return { message: 'Not saved: the edit was refused.', passed: false };
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty) await doc.save();
  await reveal(doc, saved.index);
  const check = await client.sendRequest(RunSavedTestRequest, { uri: uri.toString(), index: saved.index });
  const where = vscode.workspace.asRelativePath(uri);
  const passed = !!check?.passed;
  const message = `Saved as request ${saved.index + 1} of ${where}: ${check?.message ?? 'it could not be run'}.`;
  if (passed) void vscode.window.showInformationMessage(message);
  else void vscode.window.showWarningMessage(message);
  return { message, passed };
}
