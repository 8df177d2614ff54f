import { describe, expect, it } from 'vitest';
import { posOf, SCHEMA, workspace } from './helpers';

describe('policy diagnostics', () => {
  it('puts a parse error after a line of non-ASCII text on the exact UTF-16 range', () => {
    const policy = '// Zürich 🔥 office\npermit(principal, action, resource) when { "Zürich 🔥" == };';
    const { service, path } = workspace({ 'p.cedar': policy });
    const [f] = service.findings(path('p.cedar'));
    expect(f.ruleId).toBe('cedar-parse');
    expect(f.range.start).toEqual(posOf(policy, '};'));
    expect(f.range.start.line).toBe(1);
  });

  it('reports validation errors with "did you mean" help', () => {
    const policy =
      '@id("mail")\npermit(principal, action == Acme::Action::"send_email", resource)\nwhen { context.input.amout < 10 };';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': policy });
    const [f] = service.findings(path('p.cedar'));
    expect(f).toMatchObject({ ruleId: 'cedar-validation', severity: 'error', policy: 'mail' });
    expect(f.message).toContain('amout');
    expect(f.message).not.toContain('for policy');
    expect(f.help).toContain('amount');
    expect(f.range.start).toEqual(posOf(policy, 'context.input.amout'));
  });

  it('reports an undeclared action with a suggestion', () => {
    const policy = 'permit(principal, action == Acme::Action::"send_emial", resource);';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': policy });
    const errors = service.findings(path('p.cedar')).filter((f) => f.severity === 'error');
    expect(errors[0].help).toContain('send_email');
    expect(errors[0].range.start).toEqual(posOf(policy, 'Acme::Action'));
  });

  it('reports validator warnings as cedar-warning', () => {
    const policy = 'permit(principal == Acme::Server::"s", action == Acme::Action::"read_doc", resource);';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': policy });
    const f = service.findings(path('p.cedar'));
    expect(f.some((x) => x.ruleId === 'cedar-warning' && x.severity === 'warning')).toBe(true);
  });

  it('validates templates as templates', () => {
    const policy = 'permit(principal == ?principal, action == Acme::Action::"read_doc", resource) when { context.input.nope };';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': policy });
    const f = service.findings(path('p.cedar'));
    expect(f.map((x) => x.ruleId)).toEqual(['cedar-validation']);
    expect(f[0].range.start).toEqual(posOf(policy, 'context.input.nope'));
  });

  it('maps errors of the second policy of a file to its place in the file', () => {
    const policy =
      'permit(principal, action, resource);\n\n// ✓ ok\n@id("two") permit(principal, action == Acme::Action::"read_doc", resource) when { principal.tierr > 1 };';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': policy });
    const f = service.findings(path('p.cedar')).find((x) => x.policy === 'two')!;
    expect(f.range.start).toEqual(posOf(policy, 'principal.tierr'));
    expect(f.help).toContain('tier');
  });

  it('an unterminated string is a parse error and later files are unaffected', () => {
    const { service, path } = workspace({
      'a.cedar': 'permit(principal, action, resource) when { "oops };',
      'b.cedar': 'permit(principal, action, resource) when { 1 + };',
    });
    expect(service.findings(path('a.cedar'))[0]).toMatchObject({ ruleId: 'cedar-parse' });
    expect(service.findings(path('a.cedar'))[0].help).toContain('strings are closed');
    expect(service.findings(path('b.cedar'))[0].range.start).toEqual(
      posOf('permit(principal, action, resource) when { 1 + };', '};'),
    );
  });

  it('says so when a file holds no policies', () => {
    const { service, path } = workspace({ 'empty.cedar': '' });
    expect(service.findings(path('empty.cedar'))).toMatchObject([{ severity: 'info', message: 'This file holds no policies.' }]);
  });

  it('reports duplicate @ids across files on each use, with the other as related', () => {
    const { service, path } = workspace({
      'a.cedar': '@id("same") permit(principal, action, resource);',
      'b.cedar': '@id("same") forbid(principal, action, resource);',
    });
    const all = service.checkAll();
    const a = all.get(path('a.cedar'))!.find((f) => f.message.includes('Duplicate'))!;
    expect(a.related?.[0].file).toBe(path('b.cedar'));
    expect(all.get(path('b.cedar'))!.some((f) => f.message.includes('Duplicate'))).toBe(true);
  });

  it('counts 64-bit integer overflow in a policy as a parse error on the literal', () => {
    const policy = 'permit(principal, action, resource) when { 99999999999999999999 > 1 };';
    const { service, path } = workspace({ 'p.cedar': policy });
    const [f] = service.findings(path('p.cedar'));
    expect(f.range.start).toEqual(posOf(policy, '9999'));
  });
});

describe('schema resolution and edits', () => {
  it('a schema edit changes the findings of a policy file that is not open', () => {
    const policy = 'permit(principal, action == Acme::Action::"read_doc", resource) when { context.input.docId == "x" };';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'policies/p.cedar': policy });
    expect(service.findings(path('policies/p.cedar'))).toEqual([]);
    const affected = service.openDocument(path('schema.cedarschema'), SCHEMA.replace('docId: String', 'documentId: String'));
    expect(affected).toContain(path('policies/p.cedar'));
    const after = service.findings(path('policies/p.cedar'));
    expect(after[0]).toMatchObject({ ruleId: 'cedar-validation' });
    expect(after[0].help).toContain('documentId');
    service.closeDocument(path('schema.cedarschema'));
    expect(service.findings(path('policies/p.cedar'))).toEqual([]);
  });

  it('uses the schema files of the nearest folder upward', () => {
    const other = 'entity Other; action "x" appliesTo { principal: Other, resource: Other };';
    const { service, path } = workspace({
      'schema.cedarschema': SCHEMA,
      'team/team.cedarschema': other,
      'team/deep/p.cedar': 'permit(principal, action, resource);',
      'q.cedar': '',
    });
    expect(service.schemaFilesFor(path('team/deep/p.cedar'))).toEqual([path('team/team.cedarschema')]);
    expect(service.schemaFilesFor(path('q.cedar'))).toEqual([path('schema.cedarschema')]);
  });

  it('honours the schemaFile setting over folder lookup', () => {
    const { service, path } = workspace(
      { 'schema.cedarschema': SCHEMA, 'team/team.cedarschema': 'entity X;', 'team/p.cedar': '' },
      { schemaFile: 'schema.cedarschema' },
    );
    expect(service.schemaFilesFor(path('team/p.cedar'))).toEqual([path('schema.cedarschema')]);
  });

  it('merges several schema files of one folder, text and JSON', () => {
    const json = JSON.stringify({
      Acme: {
        entityTypes: { Bot: {} },
        actions: { ping: { appliesTo: { principalTypes: ['Bot'], resourceTypes: ['Server'] } } },
      },
    });
    const policy = 'permit(principal is Acme::Bot, action == Acme::Action::"ping", resource);';
    const { service, path } = workspace({ 'a.cedarschema': SCHEMA, 'b.cedarschema.json': json, 'p.cedar': policy });
    expect(service.findings(path('p.cedar'))).toEqual([]);
    expect(service.schemaFor(path('p.cedar'))!.entityTypes.has('Acme::Bot')).toBe(true);
  });

  it('reports an entity type declared in two schema files in both, each pointing at the other', () => {
    const { service, path } = workspace({ 'a.cedarschema': 'entity User;', 'b.cedarschema': '// dup\nentity User;' });
    const [b] = service.findings(path('b.cedarschema'));
    expect(b.message).toContain('declared twice');
    expect(b.range.start).toEqual({ line: 1, character: 7 });
    expect(b.related?.[0]).toMatchObject({ file: path('a.cedarschema'), range: { start: { line: 0, character: 7 } } });
    const [a] = service.findings(path('a.cedarschema'));
    expect(a.range.start).toEqual({ line: 0, character: 7 });
  });

  it('reports a name declared both in a Cedar schema and a JSON schema of the folder', () => {
    const { service, path } = workspace({
      'a.cedarschema': 'entity User;',
      'b.cedarschema.json': '{ "": { "entityTypes": { "User": {} }, "actions": {} } }',
    });
    const [f] = service.findings(path('b.cedarschema.json'));
    expect(f.message).toContain('already declared');
  });

  it('resolves types a schema file uses from another file of its folder', () => {
    const { service, path } = workspace({
      'a.cedarschema': 'entity Team;',
      'b.cedarschema': 'entity User in [Team];',
      'p.cedar': 'permit(principal in Team::"t", action, resource);',
    });
    expect(service.findings(path('b.cedarschema'))).toEqual([]);
    expect(service.schemaFor(path('p.cedar'))!.entityTypes.get('User')!.memberOfTypes).toEqual(['Team']);
  });

  it('a schema that does not parse: an error on the schema, a warning on its policies', () => {
    const { service, path } = workspace({
      'schema.cedarschema': 'entity User {',
      'p.cedar': 'permit(principal, action, resource);',
    });
    expect(service.findings(path('schema.cedarschema'))[0]).toMatchObject({ ruleId: 'cedar-schema', severity: 'error' });
    const [w] = service.findings(path('p.cedar'));
    expect(w).toMatchObject({ ruleId: 'cedar-schema', severity: 'warning' });
    expect(w.message).toContain('not validated');
  });

  it('locates unresolved types in a Cedar schema', () => {
    const schema = 'entity User in [Grop];';
    const { service, path } = workspace({ 's.cedarschema': schema });
    const [f] = service.findings(path('s.cedarschema'));
    expect(f.range.start).toEqual(posOf(schema, 'Grop'));
  });

  it('locates JSON schema errors by the names Cedar quotes, and JSON syntax errors exactly', () => {
    const json =
      '{\n  "": {\n    "entityTypes": { "A": { "shape": { "type": "Record", "attributes": { "x": { "type": "Nope" } } } } },\n    "actions": {}\n  }\n}';
    const { service, path } = workspace({
      's.cedarschema.json': json,
      'other/bad.cedarschema.json': '{ "": { "entityTypes": {}, } ',
    });
    const [f] = service.findings(path('s.cedarschema.json'));
    expect(f.range.start).toEqual(posOf(json, '"Nope"'));
    const [g] = service.findings(path('other/bad.cedarschema.json'));
    expect(g.message).toMatch(/Invalid JSON/);
  });
});

describe('entities files', () => {
  it('checks entities against the schema and points at the offending entity', () => {
    const entities =
      '[\n  { "uid": { "type": "Acme::Team", "id": "t" }, "attrs": {}, "parents": [] },\n  { "uid": { "type": "Acme::User", "id": "u" }, "attrs": {}, "parents": [] }\n]';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'e.cedarentities.json': entities });
    const [f] = service.findings(path('e.cedarentities.json'));
    expect(f.message).toContain('name');
    expect(f.range.start).toEqual(posOf(entities, '{ "type": "Acme::User"'));
  });

  it('rejects integers that do not fit a Cedar Long, exactly where they are', () => {
    const entities = '[{ "uid": { "type": "Acme::Agent", "id": "a" }, "attrs": { "tier": 9223372036854775808 }, "parents": [] }]';
    const { service, path } = workspace({ 'e.entities.json': entities });
    const [f] = service.findings(path('e.entities.json'));
    expect(f.message).toContain('64-bit');
    expect(f.range.start).toEqual(posOf(entities, '9223372036854775808'));
  });

  it('accepts the largest Long', () => {
    const entities = '[{ "uid": { "type": "Acme::Agent", "id": "a" }, "attrs": { "tier": 9223372036854775807 }, "parents": [] }]';
    const { service, path } = workspace({ 'e.entities.json': entities });
    expect(service.findings(path('e.entities.json'))).toEqual([]);
  });
});

describe('messages and document lifecycle', () => {
  it('parse messages do not expose the internal ids given to Cedar', () => {
    const { service, path } = workspace({
      'p.cedar':
        'permit(principal, action, resource) when { 1 + };\npermit(principal == ?principal, action, resource) when { 1 + };',
    });
    const messages = service.findings(path('p.cedar')).map((f) => f.message);
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m).not.toMatch(/with id|from string/);
  });

  it('forgets a closed document that lies outside every workspace folder', () => {
    const { service, fs } = workspace({});
    fs.files['/elsewhere/x.cedar'] = 'permit(';
    service.openDocument('/elsewhere/x.cedar', 'permit(');
    expect(service.findings('/elsewhere/x.cedar')).not.toEqual([]);
    service.closeDocument('/elsewhere/x.cedar');
    expect(service.file('/elsewhere/x.cedar')).toBeUndefined();
  });
});

describe('errors Cedar reports without a location', () => {
  it('go on the first line of their file, never dropped', () => {
    const entities = '\n\n[{ "uid": { "type": "Acme::Team" }, "attrs": {}, "parents": [] }]';
    const { service, path } = workspace({ 'schema.cedarschema': SCHEMA, 'e.cedarentities.json': entities });
    const [f] = service.findings(path('e.cedarentities.json'));
    expect(f).toBeDefined();
    expect(f.severity).toBe('error');
    expect(f.range.start).toEqual({ line: 0, character: 0 });
  });
});
