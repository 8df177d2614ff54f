import { afterEach, describe, expect, it } from 'vitest';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { readFileSync } from 'node:fs';
import { memoryFileSystem } from '../../server/src/core/workspace/fileSystem';
import { EXAMPLES, LspHarness, markedRange, rangeOf } from './lspHarness';

let h: LspHarness;
afterEach(async () => h?.dispose());

const TYPO =
  '@id("typo")\npermit (principal, action == Platform::Action::"create_refund", resource)\nwhen { context.input.amout > 1 };\n';

describe('settings from workspace/configuration', () => {
  it('agentgov.schemaFile validates policies outside the schema folder, and a settings change re-checks', async () => {
    h = await LspHarness.start({
      files: {
        'other/typo.cedar': TYPO,
        'schemas/platform.cedarschema': readFileSync(`${EXAMPLES}/agent-platform.cedarschema`, 'utf8'),
      },
      examples: false,
    });
    const uri = h.uri('other/typo.cedar');
    // No schema in the folder or above it: only parsed, so nothing to report.
    await h.waitForDiagnostics(uri, (d) => d.length === 0);

    h.settings.schemaFile = 'schemas/platform.cedarschema';
    await h.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const d = await h.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(d).toEqual([expect.objectContaining({ code: 'cedar-validation', range: rangeOf(TYPO, 'context.input.amout') })]);
  });
});

describe('a memory file system', () => {
  it('serves a workspace that exists only in memory', async () => {
    const broken = markedRange('permit (principal, action, resource) when { 1 + |}|;\n');
    const fs = memoryFileSystem({
      '/ws/agent-platform.cedarschema': readFileSync(`${EXAMPLES}/agent-platform.cedarschema`, 'utf8'),
      '/ws/policies/typo.cedar': TYPO,
      '/ws/policies/broken.cedar': broken.text,
    });
    h = await LspHarness.start({ fs, root: '/ws' });
    expect(await h.waitForDiagnostics(h.uri('policies/broken.cedar'), (d) => d.length > 0)).toEqual([
      expect.objectContaining({ range: broken.range, code: 'cedar-parse' }),
    ]);
    const d = await h.waitForDiagnostics(h.uri('policies/typo.cedar'), (d) => d.length > 0);
    expect(d[0].message).toContain('did you mean `amount`?');
  });
});
