import { describe, expect, it } from 'vitest';
import { completion } from '../../server/src/core/language/completion';
import { definition } from '../../server/src/core/language/definition';
import { formatPolicyText } from '../../server/src/core/language/format';
import { hover } from '../../server/src/core/language/hover';
import { documentSymbols } from '../../server/src/core/language/symbols';
import { caret, posOf, SCHEMA, workspace } from './helpers';

function at(policy: string) {
  const { text, pos } = caret(policy);
  const ws = workspace({ 'schema.cedarschema': SCHEMA, 'p.cedar': text });
  return { ...ws, text, pos, file: ws.path('p.cedar') };
}

const SEND = 'permit(principal is Acme::Agent, action == Acme::Action::"send_email", resource)';

describe('hover', () => {
  it('shows an entity type with its parents and attribute types', () => {
    const { service, file, pos } = at(`permit(principal is Acme::Ag‸ent, action, resource);`);
    const h = hover(service, file, pos)!;
    expect(h.markdown).toContain('entity Acme::Agent in [Acme::Team]');
    expect(h.markdown).toContain('owner: Acme::User');
    expect(h.markdown).toContain('tier: Long');
    expect(h.markdown).toMatch(/Declared in schema\.cedarschema:4/);
  });

  it('shows an action with principals, resources and context', () => {
    const { service, file, pos } = at(`permit(principal, action == Acme::Action::"send_‸email", resource);`);
    const h = hover(service, file, pos)!;
    expect(h.markdown).toContain('action Acme::Action::"send_email"');
    expect(h.markdown).toContain('principal: [Acme::Agent, Acme::User]');
    expect(h.markdown).toContain('amount: Long');
  });

  it('shows the type of a context attribute path', () => {
    const { service, file, pos } = at(`${SEND} when { context.input.amo‸unt > 1 };`);
    const h = hover(service, file, pos)!;
    expect(h.markdown).toContain('amount: Long');
    expect(h.range).toEqual({
      start: posOf(`${SEND} when { context.input.amount > 1 };`, 'amount'),
      end: posOf(`${SEND} when { context.input.amount > 1 };`, 'amount', 6),
    });
  });

  it('follows entity-typed attributes (principal.owner.name)', () => {
    const { service, file, pos } = at(`${SEND} when { principal.owner.na‸me == "x" };`);
    expect(hover(service, file, pos)!.markdown).toContain('name: String');
  });

  it('marks optional attributes', () => {
    const { service, file, pos } = at(`${SEND} when { context.appro‸val.granted };`);
    expect(hover(service, file, pos)!.markdown).toContain('(optional)');
  });

  it('explains principal from the scope', () => {
    const { service, file, pos } = at(`permit(princ‸ipal, action == Acme::Action::"read_doc", resource);`);
    expect(hover(service, file, pos)!.markdown).toContain('principal: Acme::Agent');
  });

  it('answers in schema files too', () => {
    const ws = workspace({ 'schema.cedarschema': SCHEMA });
    const h = hover(ws.service, ws.path('schema.cedarschema'), posOf(SCHEMA, 'Team]', 1))!;
    expect(h.markdown).toContain('entity Acme::Team');
  });

  it('has nothing to say on punctuation or without a schema', () => {
    const { service, file, pos } = at(`permit(principal, action, resource)‸;`);
    expect(hover(service, file, pos)).toBeUndefined();
    const ws = workspace({ 'p.cedar': 'permit(principal is A, action, resource);' });
    expect(hover(ws.service, ws.path('p.cedar'), { line: 0, character: 21 })).toBeUndefined();
  });
});

describe('completion', () => {
  const labels = (items: { label: string }[]) => items.map((i) => i.label);

  it('offers the input fields after context.input.', () => {
    const { service, file, pos } = at(`${SEND} when { context.input.‸ };`);
    expect(labels(completion(service, file, pos)).sort()).toEqual(['amount', 'subject', 'to']);
  });

  it('filters nothing itself but replaces the partial word', () => {
    const { service, file, pos, text } = at(`${SEND} when { context.input.am‸ };`);
    const items = completion(service, file, pos);
    const amount = items.find((i) => i.label === 'amount')!;
    expect(amount.detail).toBe('Long');
    expect(amount.range.start).toEqual(posOf(text, 'am };'));
  });

  it('offers context keys after context. and attributes of entity-typed values', () => {
    const a = at(`${SEND} when { context.‸ };`);
    expect(labels(completion(a.service, a.file, a.pos)).sort()).toEqual(['approval', 'input']);
    const b = at(`${SEND} when { principal.owner.‸ };`);
    expect(labels(completion(b.service, b.file, b.pos)).sort()).toEqual(['email', 'name']);
  });

  it('offers attributes after has', () => {
    const { service, file, pos } = at(`${SEND} when { context has ‸ };`);
    expect(labels(completion(service, file, pos))).toContain('approval');
  });

  it('offers quoted action ids after Ns::Action::', () => {
    const { service, file, pos } = at(`permit(principal, action == Acme::Action::‸`);
    expect(labels(completion(service, file, pos)).sort()).toEqual(['"read_doc"', '"send_email"']);
  });

  it('offers the types of a namespace after Ns::', () => {
    const { service, file, pos } = at(`permit(principal is Acme::‸`);
    expect(labels(completion(service, file, pos)).sort()).toEqual(['Action', 'Agent', 'Server', 'Team', 'User']);
  });

  it('offers action uids in the action slot and entity types in the principal slot', () => {
    const a = at(`permit(principal, action == ‸`);
    expect(labels(completion(a.service, a.file, a.pos))).toContain('Acme::Action::"send_email"');
    const b = at(`permit(principal == ‸`);
    const items = completion(b.service, b.file, b.pos);
    expect(labels(items)).toContain('Acme::Agent');
    expect(items.find((i) => i.label === 'Acme::Agent')!.insertText).toBe('Acme::Agent::"$1"');
  });

  it('offers permit/forbid snippets between policies', () => {
    const { service, file, pos } = at(`‸`);
    const snippet = completion(service, file, pos).find((i) => i.label === 'permit')!;
    expect(snippet.snippet).toBe(true);
    expect(snippet.insertText).toContain('principal');
  });
});

describe('definition', () => {
  it('goes from an entity type to its declaration', () => {
    const { service, file, pos, path } = at(`permit(principal is Acme::Ag‸ent, action, resource);`);
    const [loc] = definition(service, file, pos);
    expect(loc.file).toBe(path('schema.cedarschema'));
    expect(loc.range.start).toEqual(posOf(SCHEMA, 'Agent in'));
  });

  it('goes from an action to its declaration', () => {
    const { service, file, pos } = at(`permit(principal, action == Acme::Action::"read‸_doc", resource);`);
    expect(definition(service, file, pos)[0].range.start).toEqual(posOf(SCHEMA, '"read_doc"'));
  });

  it('goes from an entity literal to its type', () => {
    const { service, file, pos } = at(`permit(principal == Acme::User::"al‸ice", action, resource);`);
    expect(definition(service, file, pos)[0].range.start).toEqual(posOf(SCHEMA, 'User in'));
  });

  it('works inside schema files', () => {
    const ws = workspace({ 'schema.cedarschema': SCHEMA });
    const [loc] = definition(ws.service, ws.path('schema.cedarschema'), posOf(SCHEMA, 'owner: User', 8));
    expect(loc.range.start).toEqual(posOf(SCHEMA, 'User in'));
  });

  it('works from a JSON schema string to the declaring key', () => {
    const json = '{ "A": { "entityTypes": { "Team": {}, "User": { "memberOfTypes": ["Team"] } }, "actions": {} } }';
    const ws = workspace({ 's.cedarschema.json': json });
    const [loc] = definition(ws.service, ws.path('s.cedarschema.json'), posOf(json, '"Team"]', 2));
    expect(loc.range.start).toEqual(posOf(json, '"Team"'));
  });
});

describe('document symbols', () => {
  it('lists policies by @id, else by position', () => {
    const ws = workspace({ 'p.cedar': '@id("a") permit(principal, action, resource);\nforbid(principal, action, resource);' });
    expect(documentSymbols(ws.service, ws.path('p.cedar')).map((s) => [s.name, s.detail])).toEqual([
      ['a', 'permit'],
      ['policy1', 'forbid'],
    ]);
  });

  it('lists namespaces with their entity types, actions and common types', () => {
    const ws = workspace({ 'schema.cedarschema': `${SCHEMA}type Shared = { a: Long };\n` });
    const [ns, shared] = documentSymbols(ws.service, ws.path('schema.cedarschema'));
    expect(ns.name).toBe('Acme');
    expect(ns.children!.map((c) => c.name)).toEqual(['Team', 'User', 'Agent', 'Server', '"send_email"', '"read_doc"']);
    expect(shared).toMatchObject({ name: 'Shared', kind: 'commonType' });
  });
});

describe('formatting', () => {
  it("formats policies with Cedar's formatter and keeps comments", () => {
    const out = formatPolicyText('// keep me\npermit(principal,action,resource) when {context.a<1};', { tabSize: 2 })!;
    expect(out).toBe('// keep me\npermit (principal, action, resource)\nwhen { context.a < 1 };\n');
  });

  it('leaves text that does not parse alone', () => {
    expect(formatPolicyText('permit(principal', { tabSize: 2 })).toBeUndefined();
  });
});

describe('completion inside auto-closed quotes', () => {
  it('offers action ids when the cursor sits in "" after Ns::Action::, replacing the whole string', () => {
    const { service, file, pos, text } = at(`permit(principal, action == Acme::Action::"‸", resource);`);
    const items = completion(service, file, pos);
    expect(items.map((i) => i.label).sort()).toEqual(['"read_doc"', '"send_email"']);
    expect(items[0].range).toEqual({ start: posOf(text, '""'), end: posOf(text, '""', 2) });
  });

  it('still filters by nothing but keeps the partial id inside the quotes in the range', () => {
    const { service, file, pos, text } = at(`permit(principal, action == Acme::Action::"se‸", resource);`);
    const items = completion(service, file, pos);
    expect(items.map((i) => i.label)).toContain('"send_email"');
    expect(items[0].range.end).toEqual(posOf(text, '", resource', 1));
  });
});

describe('folding', () => {
  it('folds each multi-line policy and runs of comments', async () => {
    const { foldingRanges } = await import('../../server/src/core/language/folding');
    const policy =
      '// one\n// two\n@id("a")\npermit (\n  principal,\n  action,\n  resource\n);\npermit(principal, action, resource);\n';
    const ws = workspace({ 'p.cedar': policy });
    expect(foldingRanges(ws.service, ws.path('p.cedar'))).toEqual([
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 2, endLine: 7 },
    ]);
  });

  it('folds schema blocks and keeps their closing brace visible', async () => {
    const { foldingRanges } = await import('../../server/src/core/language/folding');
    const ws = workspace({ 'schema.cedarschema': SCHEMA });
    const ranges = foldingRanges(ws.service, ws.path('schema.cedarschema'));
    expect(ranges[0]).toEqual({ startLine: 0, endLine: 10 });
    expect(ranges).toContainEqual({ startLine: 5, endLine: 8 });
  });
});
