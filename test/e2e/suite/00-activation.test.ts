import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, OUT_DIR, activateExtension, log, metrics, openFile, policyPaths, schemaPath } from './helpers';

describe('activation', () => {
  it('activates the extension', async () => {
    const ext = await activateExtension();
    assert.ok(ext.isActive, 'extension is not active');
    log(
      `activation: activate() took ${metrics.activateCallMs} ms; extension host up ${metrics.extensionHostUptimeAtActiveMs} ms`,
    );
    metrics.extensionPath = ext.extensionPath;
    // When launch.mjs installed the .vsix, the extension under test must be that installed copy.
    const runInfo = path.join(OUT_DIR, 'screenshot-server.json');
    if (fs.existsSync(runInfo)) {
      const { installedExtensionPath } = JSON.parse(fs.readFileSync(runInfo, 'utf8')) as { installedExtensionPath?: string };
      if (installedExtensionPath) {
        assert.equal(path.resolve(ext.extensionPath), path.resolve(installedExtensionPath), 'not the installed .vsix');
        assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'client', 'src')), 'installed extension holds sources');
      }
    }
  });

  it('opens a .cedar file of examples/ as language "cedar"', async () => {
    const { doc } = await openFile(policyPaths()[0]);
    assert.equal(doc.languageId, 'cedar');
  });

  it('opens the .cedarschema file as language "cedarschema"', async () => {
    const { doc } = await openFile(schemaPath(), false);
    assert.equal(doc.languageId, 'cedarschema');
  });

  it(`registers the commands of ${EXTENSION_ID}`, async () => {
    await activateExtension();
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['agentgov.restartServer', 'agentgov.showOutput']) assert.ok(commands.includes(c), `command ${c} missing`);
  });
});
