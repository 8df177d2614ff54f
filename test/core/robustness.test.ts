import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completion } from '../../server/src/core/language/completion';
import { labelOf, type WorkUnit } from '../../server/src/core/engine';
import { cedarGateway } from '../../server/src/core/cedar/gateway';
import { exactJsonText } from '../../server/src/core/text/losslessJson';
import { SCHEMA, workspace } from './helpers';

/*
 * Regression tests of issue 8's failures, each with its minimal input, named after what broke.
 * Without the fix each of these ran out of memory, overflowed the stack or hung (so the test
 * fails by its timeout), or lost another file's findings.
 */

const POLICY = '@id("p")\npermit (principal, action == Acme::Action::"read_doc", resource) when { context.input.docId == 1 };\n';

/** The findings of one file, as rule and message. */
function findingsOf(files: Record<string, string>, path: string) {
  const { service, path: at } = workspace(files);
  return service.findings(at(path)).map((f) => ({ rule: f.ruleId, message: f.message, line: f.range.start.line }));
}

describe('an entity id of a megabyte', () => {
  it('is not handed to Cedar: its validator compared it with every name of the schema (was: 7.5 s of a worker)', () => {
    const id = 'reply_to_ticket' + 'ab, '.repeat(1 << 18);
    const policy = `@id("long")\npermit (principal, action == Acme::Action::"${id}", resource);\n`;
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': policy });
    const findings = service.findings(path('p.cedar'));
    expect(findings.map((f) => f.message)).toContainEqual(
      expect.stringMatching(/an entity id of 1,048,5\d\d characters \(the limit is 4,096\)/),
    );
    expect(findings.some((f) => f.ruleId === 'cedar-validation')).toBe(false);
  });
});

describe('a schema too large for Cedar to check in reasonable time', () => {
  // CLI fuzzer, seed 413931079 workspace 203: a 1 MB line of `ab, ab, …` in the schema held a
  // worker 20 s (Cedar's conversion, then its check for messages, ~25 µs per list item each).
  it('a megabyte line of list items is refused where the list passes 10,000 items, and Cedar is not asked', () => {
    const schema = SCHEMA.replace('principal: [Agent, User]', `principal: [Agent, User, ${'ab, '.repeat(1 << 18)}ab]`);
    cedarGateway.resetStats();
    const f = findingsOf({ 'schema.cedarschema': schema, 'p.cedar': POLICY }, 'schema.cedarschema');
    expect(f).toEqual([
      expect.objectContaining({ rule: 'cedar-schema', message: expect.stringContaining('more than 10,000 items'), line: 6 }),
    ]);
    expect(cedarGateway.callStats().checkSchema?.calls ?? 0).toBe(0);
    expect(cedarGateway.callStats().schemaToJson?.calls ?? 0).toBe(0);
  });

  it('a record of 20,000 attributes is refused (the check grows with their square: 80,000 took 9 s)', () => {
    const attrs = Array.from({ length: 20_000 }, (_, i) => `a${i}: Long`).join(', ');
    const f = findingsOf({ 'schema.cedarschema': `entity User { ${attrs} };\n`, 'p.cedar': POLICY }, 'schema.cedarschema');
    expect(f).toEqual([expect.objectContaining({ message: expect.stringContaining('more than 10,000 items') })]);
  });

  it('more than 150,000 tokens in all, each list short, is refused as too large', () => {
    const decls = Array.from({ length: 20_000 }, (_, i) => `entity E${i} in [A, B];`).join('\n');
    const f = findingsOf({ 'schema.cedarschema': `entity A; entity B;\n${decls}\n` }, 'schema.cedarschema');
    expect(f).toEqual([expect.objectContaining({ message: expect.stringContaining('more than 150,000 tokens') })]);
  });

  it('a schema of the bench size (1,000 actions) is still checked', () => {
    const actions = Array.from(
      { length: 1_000 },
      (_, i) => `action "t${i}" appliesTo { principal: [Agent], resource: Server, context: { input: { a: String, b: Long } } };`,
    ).join('\n');
    const f = findingsOf({ 'schema.cedarschema': `entity Agent; entity Server;\n${actions}\n` }, 'schema.cedarschema');
    expect(f).toEqual([]);
  });
});

describe('nesting that used to exhaust memory or the stack', () => {
  it('a YAML binding of 1,000 nested flow mappings is refused, not composed (was: 2 GB, then out of memory)', () => {
    const f = findingsOf({ 'a.agent.yaml': `name: a\ntools: ${'{'.repeat(1000)}\n` }, 'a.agent.yaml');
    expect(f).toEqual([expect.objectContaining({ message: expect.stringContaining('nested too deeply'), line: 1 })]);
  });

  it('a YAML binding of 1,000 nested `? ` keys is refused (was: out of memory)', () => {
    const f = findingsOf({ 'a.agent.yaml': `name: a\ntools:\n  ${'? '.repeat(1000)}k\n` }, 'a.agent.yaml');
    expect(f).toEqual([expect.objectContaining({ message: expect.stringContaining('nested too deeply'), line: 2 })]);
  });

  it('a JSON binding with an array nested 2,000 deep is refused (was: a stack overflow, exit 2)', () => {
    const f = findingsOf({ 'a.agent.json': `{"name": "a", "tools": ${'['.repeat(2000)}${']'.repeat(2000)}}` }, 'a.agent.json');
    expect(f).toEqual([expect.objectContaining({ message: expect.stringContaining('Nested too deeply') })]);
  });

  it('a deeply nested MCP config gets a finding on the place, not agentgov-internal (was: Maximum call stack size)', () => {
    const text = `{"servers": {"a": ${'{"x": '.repeat(3000)}1${'}'.repeat(3000)}}}`;
    const f = findingsOf({ '.vscode/mcp.json': text }, '.vscode/mcp.json');
    expect(f.map((x) => x.rule)).not.toContain('agentgov-internal');
    expect(f).toEqual([expect.objectContaining({ message: expect.stringContaining('Nested too deeply') })]);
  });

  it('a policy file keeps its real findings beside a binding nested 2,000 deep (was: "could not be checked")', () => {
    const deep = `{"name": "a", "tools": ${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const f = findingsOf({ 'schema.cedarschema': SCHEMA, 'a.agent.json': deep, 'p.cedar': POLICY }, 'p.cedar');
    expect(f).toEqual([expect.objectContaining({ rule: 'cedar-validation' })]);
  });
});

describe('YAML aliases', () => {
  // 350 bytes: each anchor is nine of the one before, 9^7 values in all.
  const bomb = [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`),
    'name: bomb',
    'tools: *g',
  ].join('\n');

  it('an alias bomb used as `tools` is cut off with a finding; what is written out is still read (was: a hang)', () => {
    const f = findingsOf({ 'a.agent.yaml': bomb }, 'a.agent.yaml');
    expect(f.filter((x) => x.message.includes('aliases expand to more than'))).toHaveLength(1);
    // `name` is written out, not expanded: it is read as usual.
    expect(f.map((x) => x.message).join('\n')).not.toContain('`name` must be');
  });

  it('ordinary aliases still expand', () => {
    const { service } = workspace({
      'a.agent.yaml': 'common: &tools [payments/get_invoice]\nname: a\ntools: *tools\n',
    });
    expect(service.bindings()[0].tools.map((t) => t.ref)).toEqual(['payments/get_invoice']);
  });
});

describe('bytes that are not UTF-8 text, in every kind of file', () => {
  const bytes = (s: string, ...raw: number[]) => new Uint8Array([...Buffer.from(s, 'utf8'), ...raw]);
  const first = (files: Record<string, string | Uint8Array>, path: string) => {
    const { service, path: at } = workspace(files);
    return service.findings(at(path))[0];
  };

  it('an MCP config with invalid UTF-8 says so on the byte (was: no diagnostic at all)', () => {
    const f = first(
      { '.vscode/mcp.json': bytes('{"servers": {"a": {"command": "', 0xff, 0xfe, 0x22, 0x7d, 0x7d, 0x7d) },
      '.vscode/mcp.json',
    );
    expect(f).toMatchObject({ ruleId: 'agentgov-mcp-config', message: expect.stringContaining('Invalid UTF-8 at byte 31') });
    expect(f.range.start).toEqual({ line: 0, character: 31 });
  });

  it('a binding holding a NUL byte is called binary (was: "needs at least a name")', () => {
    const f = first({ 'b.agent.yaml': bytes('name: b', 0, 0xff) }, 'b.agent.yaml');
    expect(f).toMatchObject({ ruleId: 'agentgov-binding', message: expect.stringContaining('binary') });
  });

  it('a tool list with invalid UTF-8 is reported, and its tools are still read', () => {
    const { service, path } = workspace({
      'x.tools.json': bytes('{"tools": [{"name": "lookup", "description": "caf', 0xe9, 0x22, 0x7d, 0x5d, 0x7d),
    });
    expect(service.findings(path('x.tools.json'))[0]).toMatchObject({ ruleId: 'agentgov-tools' });
    expect(service.tools().map((t) => t.name)).toEqual(['lookup']);
  });

  it('a UTF-16 policy file is named as such, not as binary', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('permit (principal, action, resource);', 'utf16le')]);
    expect(first({ 'p.cedar': utf16 }, 'p.cedar').message).toContain('UTF-16');
  });

  it('a TypeScript file that defines no tools stays quiet about its bytes', () => {
    const { service } = workspace({ 'util.ts': bytes('export const x = "', 0xff, 0x22, 0x3b) });
    expect(service.checkedFiles().some((p) => p.endsWith('util.ts'))).toBe(false);
  });
});

describe('floods', () => {
  it('one 300 KB line of garbage in an entities file gives at most 500 findings, the last counting the rest (was: 150,000)', () => {
    const { service, path } = workspace({ 'platform.cedarentities.json': `[${'@ '.repeat(150_000)}]` });
    const f = service.findings(path('platform.cedarentities.json'));
    expect(f.length).toBe(500);
    expect(f[499]).toMatchObject({
      ruleId: 'cedar-parse',
      message: expect.stringMatching(/^Invalid JSON: [\d,]+ more syntax errors/),
    });
  });

  it('a megabyte of garbage in an entities file is read once, not again on every schema edit (fuzz: a second each time)', () => {
    const schema = readFileSync(join(__dirname, '../../examples/agent-platform.cedarschema'), 'utf8');
    const { service, path } = workspace({ 'e.cedarentities.json': `[${'ab, '.repeat(1 << 18)}]`, 's.cedarschema': schema });
    service.findings(path('e.cedarentities.json'));
    const started = performance.now();
    for (let k = 0; k < 5; k++) {
      service.openDocument(path('s.cedarschema'), `${schema}\n// edit ${k}\n`);
      expect(service.findings(path('e.cedarentities.json')).length).toBe(500);
    }
    // Five edits re-read it in ~4 s before; now each costs only the findings' copy.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a binding over 32 KB is named too large, not composed (fuzz: a 1 MB line of flow items held the thread 5 s and 350 MB)', () => {
    const f = findingsOf({ 'a.agent.yaml': `name: a\ntools: [${'ab, '.repeat(1 << 18)}]\n` }, 'a.agent.yaml');
    expect(f).toEqual([
      {
        rule: 'agentgov-binding',
        message: expect.stringMatching(/^This YAML file has 1,024 KB; an identity binding is read up to 32 KB/),
        line: 0,
      },
    ]);
  });

  it('thousands of YAML anchors and aliases are refused before composing (was: 7 s in 64 KB, each alias searching every anchor)', () => {
    const started = performance.now();
    const f = findingsOf({ 'a.agent.yaml': `name: a\ntools: [${'&a x, *a, '.repeat(3000)}]\n` }, 'a.agent.yaml');
    expect(f).toEqual([
      { rule: 'agentgov-binding', message: 'Invalid YAML: more than 256 anchors and aliases. This file was not read.', line: 1 },
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a key written twice is still reported, on the whole key, in linear time', () => {
    const f = findingsOf({ 'a.agent.yaml': 'name: a\nname: b\n' }, 'a.agent.yaml');
    expect(f).toContainEqual({ rule: 'agentgov-binding', message: 'Invalid YAML: Map keys must be unique', line: 1 });
    const many = findingsOf({ 'b.agent.yaml': `name: b\n${'x: 1\n'.repeat(5000)}` }, 'b.agent.yaml');
    expect(many.filter((x) => x.message === 'Invalid YAML: Map keys must be unique').length).toBeGreaterThan(200);
  });
});

describe('Cedar memory', () => {
  it('a statement of more than 50,000 tokens is not handed to Cedar (fuzz: a 1 MB line in a scope grew a worker to 212 MB for good)', () => {
    const text = `@id("big")\npermit (principal == ${'ab, '.repeat(1 << 18)}, action, resource);\n${POLICY}`;
    const f = findingsOf({ 'schema.cedarschema': SCHEMA, 'p.cedar': text }, 'p.cedar');
    expect(f[0]).toMatchObject({
      rule: 'cedar-parse',
      message: 'This policy is too complex for Cedar to check safely: more than 50,000 tokens. It was not checked.',
    });
    // The other policy of the file is still checked.
    expect(f.some((x) => x.rule === 'cedar-validation' && x.line === 3)).toBe(true);
  });
});

describe('lone UTF-16 surrogates in the editor', () => {
  it('one in a schema comment is reported there, and the policies keep their validation (was: every policy lost it)', () => {
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': POLICY });
    service.openDocument(path('schema.cedarschema'), `// a comment \udc00\n${SCHEMA}`);
    expect(service.findings(path('schema.cedarschema'))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('lone UTF-16 surrogate (U+DC00)'), range: expect.anything() }),
    ]);
    expect(service.findings(path('p.cedar'))).toEqual([expect.objectContaining({ ruleId: 'cedar-validation' })]);
  });

  it('one in a policy string is reported on its character, and the policy is still checked', () => {
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA });
    const text = 'permit (principal, action == Acme::Action::"read_doc", resource) when { context.input.docId == "a\ud800" };';
    service.openDocument(path('p.cedar'), text);
    const f = service.findings(path('p.cedar'));
    expect(f).toEqual([expect.objectContaining({ ruleId: 'cedar-parse', message: expect.stringContaining('U+D800') })]);
    expect(f[0].range.start).toEqual({ line: 0, character: text.indexOf('\ud800') });
  });
});

describe('completion at odd places in a binding', () => {
  const at = (text: string, line: number, character: number) => {
    const { service, path } = workspace({ 'a.agent.yaml': text });
    return completion(service, path('a.agent.yaml'), { line, character });
  };

  it('in a binding whose lines end in a lone CR, the keys of the right block (was: a TypeError)', () => {
    const labels = at('name: a\rcredentials:\r  - name: c\r    ', 3, 4).map((c) => c.label);
    expect(labels).toContain('type');
  });

  it('past the last line, nothing breaks (was: a TypeError)', () => {
    expect(() => at('name: a\ntools:\n', 40, 3)).not.toThrow();
  });
});

describe('TypeScript tool files the parser finds hard', () => {
  const base = readFileSync(join(__dirname, '../fixtures/tools/mcp-register/server.ts'), 'utf8');
  const names = (text: string) => {
    const { service } = workspace({ 'server.ts': text });
    return service
      .tools()
      .map((t) => t.name)
      .sort();
  };
  const expected = ['create_refund', 'get_invoice', 'list_invoices'];

  it('2,000 nested arrow functions skip their line, and the file keeps its tools (was: "Tool discovery failed" at 0:0)', () => {
    const text = `${base}\nconst deep = ${'() => '.repeat(2000)}1;\n`;
    expect(names(text)).toEqual(expected);
    const { service, path } = workspace({ 'server.ts': text });
    const [problem] = service.findings(path('server.ts'));
    expect(problem.message).toMatch(/^Lines \d+–\d+ are nested too deeply/);
    expect(problem.range.start.line).toBe(text.split('\n').findIndex((l) => l.startsWith('const deep')));
  });

  it('a syntax error in an unrelated import keeps the other tools, with the error where it is', () => {
    const text = base.replace("import { z } from 'zod';", "import { z } from 'zod';\nimprt fs from 'node:fs';");
    expect(names(text)).toEqual(expected);
  });

  it('one 240 KB line of statements is read (was: 77 s, quadratic in the line)', () => {
    expect(names(`${base}\n${'const a = 1; '.repeat(20_000)}`)).toEqual(expected);
  });
});

describe('secrets in broken bindings', () => {
  const SECRET = 'sk_live_51HqLmV8dK3nQ7rT2wX9yZ4bC6fG1hJ5kM0pS';
  const messages = (text: string) => {
    const { service, path } = workspace({ 'a.agent.yaml': text });
    return service
      .findings(path('a.agent.yaml'))
      .map((f) => f.message)
      .join('\n');
  };

  it('a YAML error that quotes a literal secret shows it masked (found by the CLI fuzzer)', () => {
    const text = `name: a\ncredentials:\n  - name: stripe\n    type: static-api-key\n   value: ${SECRET}\n`;
    const m = messages(text);
    expect(m).toContain('Invalid YAML');
    expect(m).not.toContain(SECRET);
  });

  it('a list used as a key is named, not printed with the secret inside (found by the CLI fuzzer)', () => {
    const m = messages(`name: a\nidentity:\n  ? [{value: ${SECRET}}]\n  : x\n`);
    expect(m).toContain('(a list as a key)');
    expect(m).not.toContain(SECRET);
  });
});

describe('size', () => {
  it('tool code over 512,000 characters is named too large, not parsed on the editor thread (fuzz: a 4 MB file held it for seconds, a 1 MB one 0.6–1 s)', () => {
    const { service, path } = workspace({
      'big.ts': `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n${'const a = 1;\n'.repeat(45_000)}`,
    });
    expect(service.findings(path('big.ts'))).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^File too large to scan for tools \(585,\d{3} characters; the limit is 512,000\)\.$/),
      }),
    ]);
  });
});

describe('long messages', () => {
  it('a parse error quoting a 1 MB token is cut to 2,000 characters (fuzz: megabyte diagnostics stalled the editor)', () => {
    const { service, path } = workspace({ 'p.cedar': `permit (principal, action, resource) when { ${'x'.repeat(1 << 20)} };` });
    const f = service.findings(path('p.cedar'));
    expect(f.length).toBeGreaterThan(0);
    for (const x of f) expect(x.message.length).toBeLessThan(2100);
  });
});

describe('watched-file events that come late, twice, or for files already gone', () => {
  const BROKEN = '@id("broken")\npermit (principal, action, resource) when { ;\n';
  const policyFindings = (service: ReturnType<typeof workspace>['service'], p: string) =>
    service.findings(p).map((f) => f.ruleId);

  it('a late "deleted" for a file that exists again keeps the file (was: its findings lost until the next edit)', () => {
    const { service, path, fs } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': BROKEN });
    expect(policyFindings(service, path('p.cedar'))).toContain('cedar-parse');
    // Deleted and written again; the watcher's "deleted" arrives after the file is back.
    service.diskEvent(path('p.cedar'), 'deleted');
    expect(service.file(path('p.cedar'))).toBeDefined();
    expect(policyFindings(service, path('p.cedar'))).toContain('cedar-parse');
    // The "created" that follows, twice, changes nothing.
    service.diskEvent(path('p.cedar'), 'created');
    service.diskEvent(path('p.cedar'), 'created');
    expect(policyFindings(service, path('p.cedar'))).toContain('cedar-parse');
    // Really gone now: "changed" late, for a file that is no longer there, forgets it.
    delete fs.files[path('p.cedar')];
    service.diskEvent(path('p.cedar'), 'changed');
    expect(service.file(path('p.cedar'))).toBeUndefined();
  });

  it('a file deleted on disk while open keeps the editor text until closed (was: the open document lost its findings)', () => {
    const { service, path, fs } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': POLICY });
    service.openDocument(path('p.cedar'), BROKEN);
    delete fs.files[path('p.cedar')];
    service.diskEvent(path('p.cedar'), 'deleted');
    expect(policyFindings(service, path('p.cedar'))).toContain('cedar-parse');
    service.closeDocument(path('p.cedar'));
    expect(service.file(path('p.cedar'))).toBeUndefined();
  });

  it('a folder deleted in one go forgets its files; created again, reads them (events for the folder alone)', () => {
    const { service, path, fs } = workspace({ 'schema.cedarschema': SCHEMA, 'team/a.cedar': POLICY, 'team/b.cedar': BROKEN });
    delete fs.files[path('team/a.cedar')];
    delete fs.files[path('team/b.cedar')];
    expect(service.diskEvent(path('team'), 'deleted').sort()).toEqual([path('team/a.cedar'), path('team/b.cedar')]);
    expect(service.filesOf('policy')).toEqual([]);
    fs.files[path('team/b.cedar')] = BROKEN;
    // The folder's "deleted" again, late, after it was created anew: the disk says it is there.
    service.diskEvent(path('team'), 'deleted');
    expect(service.filesOf('policy')).toEqual([path('team/b.cedar')]);
  });

  it('a late event for a file of a removed workspace folder reads nothing (was: a file outside the workspace was checked)', () => {
    const { service, path, fs } = workspace({ 'schema.cedarschema': SCHEMA });
    fs.files['/other/p.cedar'] = BROKEN;
    service.addFolder('/other');
    expect(service.filesOf('policy')).toEqual(['/other/p.cedar']);
    service.removeFolder('/other');
    service.diskEvent('/other/p.cedar', 'created');
    service.diskEvent('/other', 'created');
    expect(service.filesOf('policy')).toEqual([]);
    expect(path('x')).toBe('/ws/x');
  });

  it('thousands of events under node_modules and .git read nothing and answer no file', () => {
    const files: Record<string, string> = { 'schema.cedarschema': SCHEMA };
    for (let i = 0; i < 2000; i++) files[`node_modules/pkg${i % 50}/f${i}.ts`] = 'server.tool("x", async () => ({}))';
    for (let i = 0; i < 2000; i++) files[`.git/objects/${i}.cedar`] = BROKEN;
    const { service, path } = workspace(files);
    const started = performance.now();
    const answered = Object.keys(files)
      .filter((rel) => rel !== 'schema.cedarschema')
      .flatMap((rel) => service.diskEvent(path(rel), 'created'));
    answered.push(...service.diskEvent(path('node_modules'), 'created'), ...service.diskEvent(path('.git'), 'deleted'));
    expect(answered).toEqual([]);
    expect(service.filesOf('typescript')).toEqual([]);
    expect(service.filesOf('policy')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('long boolean chains', () => {
  it('2,000 comparisons joined by && are refused, and the next file is still checked (was: the validator overflowed and broke Cedar for every later call)', () => {
    const chain = Array(2000).fill('context.input.amount == 1').join(' && ');
    const files = {
      'schema.cedarschema': SCHEMA,
      'a.cedar': `@id("a")\npermit (principal, action == Acme::Action::"send_email", resource) when { ${chain} };\n`,
      'b.cedar': POLICY,
    };
    const { service, path } = workspace(files);
    expect(service.findings(path('a.cedar'))[0].message).toBe(
      'This policy is too complex for Cedar to check safely: 1999 `&&`/`||` operators (the limit is 1000). It was not checked.',
    );
    // b.cedar's own finding (docId is a String, compared with a Long) is still Cedar's, not "memory access out of bounds".
    const b = service.findings(path('b.cedar')).map((f) => f.message);
    expect(b.join('\n')).not.toMatch(/out of bounds|could not/);
    expect(b.some((m) => /docId|String|Long/.test(m))).toBe(true);
  });
});

describe("the editor's thread while a worker checks a schema", () => {
  it('a schema edited before the worker answers is not checked on this thread (fuzz: a 1 MB schema line held it 20 s)', async () => {
    const { GovernanceService } = await import('../../server/src/core/service');
    const { memoryFileSystem } = await import('../../server/src/core/workspace/fileSystem');
    const { cedarGateway } = await import('../../server/src/core/cedar/gateway');
    let answer: (a: unknown) => void = () => undefined;
    const asked: string[] = [];
    // A pool whose one worker answers when the test says so.
    const pool = {
      schemaText: (text: string) => {
        asked.push(text);
        return new Promise((r) => (answer = r));
      },
      checkSchema: () => Promise.resolve([]),
    } as unknown as ConstructorParameters<typeof GovernanceService>[0]['pool'];
    const tool = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
const server = new McpServer({ name: 'mail', version: '1' });
server.registerTool('notify', { description: 'Notify' }, async () => ({ content: [] }));
`;
    // A tool, so the schema has a derived part to merge once the text is checked.
    // A schema text of its own: the gateway remembers answers by text, across tests.
    const schema = `${SCHEMA}\n// ${Math.random()}\n`;
    const files = { '/ws/schema.cedarschema': schema, '/ws/p.cedar': POLICY, '/ws/tools/server.ts': tool };
    const service = new GovernanceService({ fs: memoryFileSystem(files), roots: ['/ws'], pool });
    service.scan();
    const prefetch = [...service.plan(['/ws/p.cedar'], true)][0] as () => Promise<void>;
    const running = prefetch();
    expect(asked).toEqual([schema]);
    service.openDocument('/ws/schema.cedarschema', `${schema}\n// edited while the worker works\n`);
    const calls = () => Object.values(cedarGateway.callStats()).reduce((n, s) => n + s.calls, 0);
    const before = calls();
    answer({ checkErrors: [], conversion: { json: {} } });
    await running;
    expect(calls()).toBe(before);
  });

  it('a tool file edited before the worker answers is not discovered on this thread by the merged schema check (fuzz: 3.3 s, seed 945203208)', async () => {
    const { GovernanceService } = await import('../../server/src/core/service');
    const { memoryFileSystem } = await import('../../server/src/core/workspace/fileSystem');
    let answer: (a: unknown) => void = () => undefined;
    const merged: unknown[] = [];
    const pool = {
      schemaText: () => new Promise((r) => (answer = r)),
      checkSchema: (schema: unknown) => {
        merged.push(schema);
        return Promise.resolve([]);
      },
    } as unknown as ConstructorParameters<typeof GovernanceService>[0]['pool'];
    const tool = (name: string) => `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
const server = new McpServer({ name: 'mail', version: '1' });
server.registerTool('${name}', { description: 'Notify' }, async () => ({ content: [] }));
`;
    const schema = `${SCHEMA}\n// ${Math.random()}\n`;
    const files = { '/ws/schema.cedarschema': schema, '/ws/p.cedar': POLICY, '/ws/tools/server.ts': tool('notify') };
    const service = new GovernanceService({ fs: memoryFileSystem(files), roots: ['/ws'], pool });
    service.scan();
    const units = [...service.plan(['/ws/p.cedar'], true)].filter((u): u is WorkUnit => typeof u === 'function');
    const unit = (label: string) => units.find((u) => labelOf(u)?.startsWith(label))!;
    const text = unit('the schema checks')();
    const mergedCheck = unit('the merged schema check')();
    // The user edits a tool file while the worker checks the schema text.
    service.openDocument('/ws/tools/server.ts', tool('notify_all'));
    answer({ checkErrors: [], conversion: { json: {} } });
    await Promise.all([text, mergedCheck]);
    // It gave up (the newer run asks again) instead of deriving the fragment from the edited file here.
    expect(merged).toEqual([]);
  });
});

describe('request test files in the editor', () => {
  it("a test file's diagnostics ask Cedar nothing in the server's thread (fuzz: one naming a mangled schema held it 12 s)", () => {
    const test = JSON.stringify({
      policies: 'p.cedar',
      schema: 'schema.cedarschema',
      entities: [],
      requests: [
        {
          description: 'an undeclared type',
          principal: { type: 'Acme::Agnt', id: 'a' },
          action: { type: 'Acme::Action', id: 'read_doc' },
          resource: { type: 'Acme::Server', id: 's' },
          context: {},
          decision: 'deny',
        },
      ],
    });
    const mangled = `${SCHEMA}\n}}}{{ entity ;`;
    const { service, path } = workspace({ 'schema.cedarschema': mangled, 'p.cedar': POLICY, 't.cedartests.json': test });
    const calls = () => {
      const stats = cedarGateway.callStats();
      return ['schemaText', 'checkSchema', 'schemaToJson', 'preparse', 'preparseSchema', 'validate'].map(
        (op) => stats[op]?.calls ?? 0,
      );
    };
    const before = calls();
    const findings = service.findings(path('t.cedartests.json'));
    expect(calls()).toEqual(before);
    // The names still come from the schema (read by the lexer).
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('did you mean `Acme::Agent`')]);
  });
});

describe('integers beyond 2^53 beside characters beyond Latin-1 (issue 10, found by the CLI fuzzer)', () => {
  /** The fuzz corpus's request test (64-bit integers, `__extn` values, inline entities) with a note in euros in each context. */
  const withEuroNote = readFileSync(join(__dirname, '../fixtures/requestTests/values.cedartests.json'), 'utf8')
    .replace('context: { cents: Long', 'context: { note: String, cents: Long')
    .replaceAll('"cents": 9007199254740995,', '"note": "€ refund", "cents": 9007199254740995,');

  it('a request test reaches Cedar exactly (was: Node 20 wrote garbage after the €, "key must be a string at line 1 column 134")', () => {
    expect(withEuroNote).toContain('€ refund');
    const { service, path } = workspace({ 'tests/values.cedartests.json': withEuroNote });
    const run = service.runRequestTests(path('tests/values.cedartests.json'));
    expect(run.results.map((r) => [r.description.slice(0, 30), r.passed, r.actual?.errors ?? []])).toEqual([
      ['a withdrawal beyond 2^53 by a ', true, []],
      ["the intern's limit is one belo", true, []],
      ['from outside the network: forb', true, []],
    ]);
  });

  it('a simulation with such a context is decided, and its request written exactly', () => {
    const { service } = workspace({
      'schema.cedarschema':
        'namespace Acme { entity Agent; entity Doc; action "read_doc" appliesTo { principal: Agent, resource: Doc, context: { input: { docId: Long }, why: String } }; }\n',
      'p.cedar':
        '@id("big")\npermit (principal == Acme::Agent::"a€", action == Acme::Action::"read_doc", resource)\nwhen { context.input.docId == 9007199254740993 };\n',
      'docs.cedarentities.json': '[{ "uid": { "type": "Acme::Doc", "id": "d" }, "attrs": {}, "parents": [] }]',
    });
    const ask = (docId: string) =>
      service.simulate({
        principal: 'Acme::Agent::"a€"',
        action: 'Acme::Action::"read_doc"',
        resource: 'Acme::Doc::"d"',
        context: `{"input": {"docId": ${docId}}, "why": "€"}`,
      });
    const allowed = ask('9007199254740993');
    expect(allowed).toMatchObject({ ok: true, decision: 'allow', failures: [] });
    // One more than 2^53 + 1: a double would make both 9007199254740992 (neither equal).
    expect(ask('9007199254740995')).toMatchObject({ ok: true, decision: 'deny', failures: [] });
    const text = exactJsonText((allowed as { request: unknown }).request);
    expect(text).toContain('"docId":9007199254740993');
    expect(JSON.parse(text)).toMatchObject({ principal: { id: 'a€' }, context: { why: '€' } });
  });
});
