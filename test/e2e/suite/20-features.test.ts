import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LSP_TIMEOUT_MS,
  REPO_ROOT,
  activateExtension,
  definitionsAt,
  fmtRange,
  hoverText,
  log,
  metrics,
  openFile,
  replaceInMemory,
  restore,
  policyPaths,
  schemaActions,
  schemaEntityTypes,
  schemaPath,
  targetOf,
  waitFor,
} from './helpers';

interface Occurrence {
  file: string;
  /** offset of the name in the policy text */
  offset: number;
  name: string;
  /** offset of the declaration's name in the schema text */
  declOffset: number;
}

/** An entity type of the schema used in a policy: `Name::"` or `is Name` (optionally namespaced). */
function findEntityTypeUse(): Occurrence {
  const schema = fs.readFileSync(schemaPath(), 'utf8');
  const types = schemaEntityTypes(schema);
  assert.ok(types.length > 0, 'the example schema declares no entity types');
  for (const file of policyPaths()) {
    const text = fs.readFileSync(file, 'utf8');
    for (const t of types) {
      const re = new RegExp(`(?<![A-Za-z0-9_"])${t.name}(?![A-Za-z0-9_"])`, 'g');
      for (let m; (m = re.exec(text));) {
        const offset = m.index;
        const lineStart = text.lastIndexOf('\n', offset) + 1;
        if (text.slice(lineStart, offset).includes('//') || /^\s*@/.test(text.slice(lineStart, offset))) continue;
        const before = text.slice(Math.max(0, offset - 60), offset);
        const after = text.slice(offset + t.name.length, offset + t.name.length + 3);
        if (after === '::"' || /\bis\s+(?:[A-Za-z_][A-Za-z0-9_]*::)*$/.test(before)) {
          return { file, offset, name: t.name, declOffset: t.offset };
        }
      }
    }
  }
  assert.fail(`no example policy uses one of the schema's entity types (${types.map((t) => t.name).join(', ')})`);
}

/** An action of the schema used in a policy: `Action::"name"`. */
function findActionUse(): Occurrence {
  const schema = fs.readFileSync(schemaPath(), 'utf8');
  const actions = schemaActions(schema);
  assert.ok(actions.length > 0, 'the example schema declares no actions');
  for (const file of policyPaths()) {
    const text = fs.readFileSync(file, 'utf8');
    for (const a of actions) {
      const needle = `Action::"${a.name}"`;
      let i = text.indexOf(needle);
      while (i >= 0) {
        const lineStart = text.lastIndexOf('\n', i) + 1;
        if (!text.slice(lineStart, i).includes('//')) {
          return { file, offset: i + 'Action::"'.length, name: a.name, declOffset: a.offset };
        }
        i = text.indexOf(needle, i + 1);
      }
    }
  }
  assert.fail(`no example policy names one of the schema's actions (${actions.map((a) => a.name).join(', ')})`);
}

async function completionLabels(doc: vscode.TextDocument, pos: vscode.Position): Promise<string[]> {
  const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  return l?.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)) ?? [];
}

const fmtPos = (doc: vscode.TextDocument, offset: number) => {
  const p = doc.positionAt(offset);
  return `${p.line}:${p.character} (${JSON.stringify(doc.lineAt(p.line).text.slice(0, p.character))}|${JSON.stringify(doc.lineAt(p.line).text.slice(p.character))})`;
};

const middle = (doc: vscode.TextDocument, o: Occurrence) => doc.positionAt(o.offset + Math.floor(o.name.length / 2));

describe('language features', () => {
  before(async () => {
    await activateExtension();
  });

  it('formats an unformatted in-memory cedar document as cedar-wasm does', async () => {
    const input =
      'permit(principal,action,resource)\nwhen{principal has team&&principal.team==   "billing"};\n\n\nforbid(principal,action,resource)unless{context.input has amount};\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'cedar', content: input });
    await vscode.window.showTextDocument(doc, { preview: false });
    const edits = await waitFor(
      async () => {
        const e = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, {
          tabSize: 2,
          insertSpaces: true,
        });
        return e && e.length > 0 ? e : undefined;
      },
      LSP_TIMEOUT_MS,
      'formatting edits',
      250,
    );
    const we = new vscode.WorkspaceEdit();
    we.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(we));
    const formatted = doc.getText();
    assert.notEqual(formatted, input, 'formatting changed nothing');
    // Expected: cedar-wasm's own formatter, indent 2, line width 80 (Cedar CLI defaults).
    const cedar = createRequire(path.join(REPO_ROOT, 'package.json'))('@cedar-policy/cedar-wasm/nodejs');
    const expected = cedar.formatPolicies({ policyText: input, lineWidth: 80, indentWidth: 2 });
    assert.equal(expected.type, 'success');
    assert.equal(formatted.trimEnd(), expected.formatted_policy.trimEnd());
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('hover on an entity type in a policy shows it', async () => {
    const occ = findEntityTypeUse();
    const { doc } = await openFile(occ.file);
    const t0 = Date.now();
    const hovers = await waitFor(
      async () => {
        const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, middle(doc, occ));
        return h && hoverText(h).trim() ? h : undefined;
      },
      LSP_TIMEOUT_MS,
      `hover on entity type ${occ.name}`,
      250,
    );
    metrics.firstHoverMs = Date.now() - t0;
    assert.match(hoverText(hovers), new RegExp(occ.name), `hover text does not name ${occ.name}`);
  });

  it('hover on an action in a policy shows it', async () => {
    const occ = findActionUse();
    const { doc } = await openFile(occ.file);
    const hovers = await waitFor(
      async () => {
        const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, middle(doc, occ));
        return h && hoverText(h).trim() ? h : undefined;
      },
      LSP_TIMEOUT_MS,
      `hover on action ${occ.name}`,
      250,
    );
    assert.match(
      hoverText(hovers),
      new RegExp(occ.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      `hover text does not name ${occ.name}`,
    );
  });

  // Completion as a user gets it: the text is typed character by character with the `type`
  // command, so VS Code's auto-closing of quotes applies, then completion is asked at the cursor.
  async function typeAndComplete(
    occ: Occurrence,
    replaceLength: number,
    typed: string,
  ): Promise<{ where: string; restore: () => Promise<void> }> {
    const { doc, editor } = await openFile(occ.file);
    const original = doc.getText();
    await replaceInMemory(doc, occ.offset, occ.offset + replaceLength, '');
    editor!.selection = new vscode.Selection(doc.positionAt(occ.offset), doc.positionAt(occ.offset));
    for (const ch of typed) await vscode.commands.executeCommand('type', { text: ch });
    const cursor = editor!.selection.active;
    const where = fmtPos(doc, doc.offsetAt(cursor));
    return { where, restore: () => restore(doc, original) };
  }

  it('completion after typing `Platform::` in the principal slot offers the schema entity types', async () => {
    const occ = findEntityTypeUse();
    const text = fs.readFileSync(occ.file, 'utf8');
    // `Platform::Agent::"billing-assistant"` → remove from the type name to the end of the uid, type nothing more.
    const m = /^[A-Za-z_][A-Za-z0-9_]*::"(?:[^"\\]|\\.)*"/.exec(text.slice(occ.offset));
    assert.ok(m, `no entity uid at ${occ.name}`);
    const schemaTypes = schemaEntityTypes(fs.readFileSync(schemaPath(), 'utf8')).map((t) => t.name);
    const t = await typeAndComplete(occ, m[0].length, '');
    const { doc, editor } = await openFile(occ.file);
    let seen: string[] = [];
    try {
      await waitFor(
        async () => {
          seen = await completionLabels(doc, editor!.selection.active);
          return seen.some((x) => x === occ.name || x.endsWith(`::${occ.name}`));
        },
        LSP_TIMEOUT_MS,
        `completion items naming ${occ.name} at ${t.where}`,
        250,
      ).catch((e) => {
        throw new Error(`${e.message}; items: ${JSON.stringify(seen.slice(0, 40))}`);
      });
      const missing = schemaTypes.filter((n) => !seen.some((x) => x === n || x.endsWith(`::${n}`)));
      assert.deepEqual(missing, [], `entity types missing from completion: ${missing.join(', ')}`);
    } finally {
      await t.restore();
    }
  });

  for (const variant of [
    { title: 'after typing `Action::`', typed: '' },
    { title: 'after typing `Action::"` (the quote auto-closed)', typed: '"' },
  ]) {
    it(`completion ${variant.title} offers the schema's tool actions`, async () => {
      const occ = findActionUse();
      // occ.offset is just inside `Action::"`: remove the quoted id, then type the variant's text.
      const start = occ.offset - 1;
      const actions = schemaActions(fs.readFileSync(schemaPath(), 'utf8'))
        .filter((a) => a.tool)
        .map((a) => a.name);
      const t = await typeAndComplete({ ...occ, offset: start }, occ.name.length + 2, variant.typed);
      const { doc, editor } = await openFile(occ.file);
      let seen: string[] = [];
      try {
        if (variant.typed === '"')
          assert.equal(
            doc.getText(new vscode.Range(editor!.selection.active, editor!.selection.active.translate(0, 1))),
            '"',
            'the quote was not auto-closed',
          );
        await waitFor(
          async () => {
            seen = await completionLabels(doc, editor!.selection.active);
            return seen.some((x) => x.includes(occ.name));
          },
          LSP_TIMEOUT_MS,
          `completion items naming action ${occ.name} at ${t.where}`,
          250,
        ).catch((e) => {
          throw new Error(`${e.message}; items: ${JSON.stringify(seen.slice(0, 40))}`);
        });
        const missing = actions.filter((a) => !seen.some((x) => x.includes(a)));
        assert.deepEqual(missing, [], `actions missing from completion: ${missing.join(', ')}`);
      } finally {
        await t.restore();
      }
    });
  }

  it('go to definition on an entity type jumps to its declaration in the .cedarschema file', async () => {
    const occ = findEntityTypeUse();
    const { doc } = await openFile(occ.file);
    const schemaDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(schemaPath()));
    const decl = schemaDoc.positionAt(occ.declOffset);
    const locations = await definitionsAt(doc, middle(doc, occ), `definition of ${occ.name}`);
    const targets = locations.map(targetOf);
    const hit = targets.find((t) => t.uri.fsPath.endsWith('.cedarschema') && t.range.contains(decl));
    assert.ok(
      hit,
      `no definition at ${path.basename(schemaPath())}:${decl.line}:${decl.character}; got ${targets.map((t) => `${t.uri.fsPath}:${fmtRange(t.range)}`).join(', ')}`,
    );
    log(`definition: ${occ.name} -> ${path.basename(hit.uri.fsPath)}:${fmtRange(hit.range)}`);
  });

  it('go to definition on an action answers', async () => {
    const occ = findActionUse();
    const { doc } = await openFile(occ.file);
    const locations = await definitionsAt(doc, middle(doc, occ), `definition of action ${occ.name}`);
    const targets = locations.map(targetOf);
    log(
      `definition: action ${occ.name} -> ${targets.map((t) => `${path.basename(t.uri.fsPath)}:${fmtRange(t.range)}`).join(', ')}`,
    );
    // The declaration in the schema or the tool's code (SPEC §8): the target text names the action.
    for (const t of targets) {
      const target = await vscode.workspace.openTextDocument(t.uri);
      const text = target.getText(target.lineAt(t.range.start.line).range.union(t.range));
      assert.ok(
        text.includes(occ.name),
        `definition target ${t.uri.fsPath}:${fmtRange(t.range)} does not name ${occ.name}: ${text}`,
      );
    }
  });
});
