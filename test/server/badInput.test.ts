import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FileChangeType, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { hugePolicyFile } from './hugeFile';
import { EXAMPLES, LspHarness, marked, positionAt, rangeOf } from './lspHarness';

const example = (rel: string) => `${EXAMPLES}/${rel}`;

let h: LspHarness;
afterEach(async () => h?.dispose());

const FIRST_LINE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The server still checks a new file and still answers hover on an example policy. */
async function stillServing(h: LspHarness, withSchema = true): Promise<void> {
  const m = marked('permit (principal, action, resource) when { 1 + |}|;\n');
  const uri = await h.open(`policies/probe-${h.publishes.size}.cedar`, m.text);
  const d = await h.waitForDiagnostics(uri, (d) => d.length > 0);
  expect(d.filter((x) => x.code === 'cedar-parse')).toEqual([
    expect.objectContaining({ range: { start: m.positions[0], end: m.positions[1] } }),
  ]);
  if (!withSchema) return;
  const billing = readFileSync(h.path('policies/billing.cedar'), 'utf8');
  const at = billing.indexOf('context.input.amount') + 'context.input.'.length + 2;
  const hover = await h.client.sendRequest(HoverRequest.type, {
    textDocument: { uri: h.uri('policies/billing.cedar') },
    position: positionAt(billing, at),
  });
  expect((hover?.contents as MarkupContent).value).toContain('amount: Long');
}

describe('bad input gets a clear diagnostic and the server keeps serving', () => {
  it('an empty policy file: info "holds no policies"', async () => {
    h = await LspHarness.start({ withoutGovernance: true, files: { 'policies/empty.cedar': '' } });
    const d = await h.waitForDiagnostics(h.uri('policies/empty.cedar'), (d) => d.length > 0);
    expect(d).toEqual([expect.objectContaining({ severity: 3, code: 'cedar-parse', range: FIRST_LINE })]);
    expect(d[0].message).toMatch(/holds no policies/);
    await stillServing(h);
  });

  it('a binary file (NUL bytes) with a policy extension', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0x00]);
    h = await LspHarness.start({ withoutGovernance: true, files: { 'policies/logo.cedar': bytes } });
    const d = await h.waitForDiagnostics(h.uri('policies/logo.cedar'), (d) => d.length > 0);
    expect(d).toEqual([expect.objectContaining({ severity: 1, code: 'cedar-parse', range: FIRST_LINE })]);
    expect(d[0].message).toMatch(/binary file/);
    await stillServing(h);
  });

  it('a 5 MB policy file is checked, and other files are still served', async () => {
    // About 2,200 policies, each padded with a long comment (the stdio test has 24,000 small ones).
    const huge = hugePolicyFile(5, 2000);
    h = await LspHarness.start({ withoutGovernance: true, files: { 'policies/huge.cedar': huge.text } });
    const d = await h.waitForDiagnostics(h.uri('policies/huge.cedar'), (d) => d.length > 0, 25_000);
    expect(d).toEqual([expect.objectContaining({ code: 'cedar-parse', range: huge.error })]);
    await stillServing(h);
  });

  it('a file above agentgov.maxFileSize is reported and not checked', async () => {
    const huge = hugePolicyFile(1.5, 2000);
    h = await LspHarness.start({
      withoutGovernance: true,
      files: { 'policies/huge.cedar': huge.text },
      settings: { maxFileSize: 1 },
    });
    const d = await h.waitForDiagnostics(h.uri('policies/huge.cedar'), (d) => d.length > 0);
    expect(d).toEqual([expect.objectContaining({ severity: 2, range: FIRST_LINE })]);
    expect(d[0].message).toMatch(/larger than the limit of 1\.0 MB.*agentgov\.maxFileSize/);
    await stillServing(h);
  });

  it('invalid UTF-8 bytes: an error where the first bad byte is, and the rest is still checked', async () => {
    const before = '// Zürich caf';
    const after = ' policies\n@id("latin1")\npermit (principal, action, resource) when { 1 + };\n';
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xe9]), Buffer.from(after)]);
    h = await LspHarness.start({ withoutGovernance: true, files: { 'policies/latin1.cedar': bytes } });
    const d = await h.waitForDiagnostics(h.uri('policies/latin1.cedar'), (d) => d.length > 0);
    const decoded = `${before}\uFFFD${after}`;
    const bad = positionAt(decoded, before.length);
    expect(d[0]).toMatchObject({ severity: 1, code: 'cedar-parse', range: { start: bad, end: bad } });
    expect(d[0].message).toMatch(new RegExp(`Invalid UTF-8 at byte ${Buffer.byteLength(before)}`));
    const brace = decoded.indexOf('1 + }') + 4;
    expect(d[1]).toMatchObject({
      code: 'cedar-parse',
      range: { start: positionAt(decoded, brace), end: positionAt(decoded, brace + 1) },
    });
    expect(d).toHaveLength(2);
    await stillServing(h);
  });

  // Core bug: GovernanceService.readFinding (server/src/core/service.ts) places read problems with
  // the *policy* model's line index, which schema and entities files do not have, so it falls back to 0:0.
  it('invalid UTF-8 in a schema: the error is where the bad byte is', async () => {
    const schema = readFileSync(example('agent-platform.cedarschema'), 'utf8');
    const at = schema.indexOf('entity Team;');
    const bytes = Buffer.concat([
      Buffer.from(schema.slice(0, at)),
      Buffer.from('// caf'),
      Buffer.from([0xe9]),
      Buffer.from(`\n${schema.slice(at)}`),
    ]);
    h = await LspHarness.start({ withoutGovernance: true, files: { 'agent-platform.cedarschema': bytes } });
    const d = await h.waitForDiagnostics(h.uri('agent-platform.cedarschema'), (d) => d.length > 0);
    const bad = positionAt(schema.slice(0, at) + '// caf', at + 6);
    expect(d[0]).toMatchObject({ severity: 1, code: 'cedar-schema', range: { start: bad, end: bad } });
    expect(d[0].message).toMatch(/Invalid UTF-8/);
  });

  it('an unterminated string', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    // Cedar strings may span lines, so the string opened on the last line runs to the end of the file.
    const m = marked(
      '@id("before")\npermit (principal, action, resource) when { 1 + |}|;\n\n@id("open")\npermit (principal, action, resource)\nwhen { context.input.currency == |"EUR };\n',
    );
    const uri = await h.open('policies/open-string.cedar', m.text);
    const d = await h.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(d).toHaveLength(2);
    expect(d[0]).toMatchObject({ severity: 1, code: 'cedar-parse', range: { start: m.positions[0], end: m.positions[1] } });
    expect(d[1]).toMatchObject({ severity: 1, code: 'cedar-parse' });
    expect(d[1].range.start).toEqual(m.positions[2]);
    expect(d[1].message).toMatch(/invalid token\nHelp: .*strings are closed/);
    await stillServing(h);
  });

  it('a schema that does not parse: cedar-schema error on it, a "not validated" warning on its policies', async () => {
    h = await LspHarness.start({ withoutGovernance: true });
    const schemaUri = h.uri('agent-platform.cedarschema');
    const billing = h.uri('policies/billing.cedar');
    await h.waitForDiagnostics(billing, (d) => d.length === 0);
    const schemaText = readFileSync(h.path('agent-platform.cedarschema'), 'utf8');
    const broken = schemaText.replace('entity Team;', 'entity Team');
    h.write('agent-platform.cedarschema', broken);
    await h.watched([{ uri: schemaUri, type: FileChangeType.Changed }]);

    const s = await h.waitForDiagnostics(schemaUri, (d) => d.length > 0);
    expect(s[0]).toMatchObject({ severity: 1, code: 'cedar-schema' });
    // The error is where the missing `;` is felt: at the next token after `entity Team`.
    const next = rangeOf(broken, 'entity User');
    expect(s[0].range.start.line).toBeGreaterThanOrEqual(rangeOf(broken, 'entity Team').start.line);
    expect(s[0].range.start.line).toBeLessThanOrEqual(next.start.line);

    const p = await h.waitForDiagnostics(billing, (d) => d.length > 0);
    expect(p).toEqual([expect.objectContaining({ severity: 2, code: 'cedar-schema', range: FIRST_LINE })]);
    expect(p[0].message).toBe('Policies not validated: the schema agent-platform.cedarschema has errors.');
    expect(p[0].relatedInformation?.[0].location.uri).toBe(schemaUri);
    await stillServing(h, false);

    h.write('agent-platform.cedarschema', schemaText);
    await h.watched([{ uri: schemaUri, type: FileChangeType.Changed }]);
    await h.waitForDiagnostics(billing, (d) => d.length === 0);
    await h.waitForDiagnostics(schemaUri, (d) => d.length === 0);
  });
});
