import { describe, expect, it } from 'vitest';
import { GovernanceService } from '../../../server/src/core/service';
import { memoryFileSystem } from '../../../server/src/core/workspace/fileSystem';
import { caret, posOf } from '../helpers';
import { BINDING, governed, POLICIES, SCHEMA, TOOLS } from './workspaceFixture';

/*
 * `.agentgov/config.yaml`: rules off or re-levelled, `maxCredentialTtl` for AG006, risk keywords
 * for the tools' risk (and so AG011/AG013); every mistake a finding at its exact range, never a
 * crash; an engine input like any file.
 */

const CONFIG = '.agentgov/config.yaml';
const NO_AUDIT = BINDING.replace('audit:\n  sink: otel://collector:4317\n', '');

/** The exact range of `needle` in `text` (its n-th occurrence). */
const rangeOf = (text: string, needle: string, nth = 0) => ({
  start: posOf(text, needle, 0, nth),
  end: posOf(text, needle, needle.length, nth),
});

describe('rules: off and re-levelled', () => {
  it('`off` silences a rule', () => {
    expect(governed({ 'agents/billing.agent.yaml': NO_AUDIT }).rule('AG012')).toHaveLength(1);
    const { rule, all } = governed({ 'agents/billing.agent.yaml': NO_AUDIT, [CONFIG]: 'rules:\n  AG012: off\n' });
    expect(rule('AG012')).toEqual([]);
    expect(all.filter((f) => f.ruleId === 'agentgov-config')).toEqual([]);
  });

  it('a new level changes the severity of every finding of the rule, the others keep theirs', () => {
    const { rule } = governed({ [CONFIG]: 'rules:\n  AG008: error\n  AG012: hint\n', 'agents/billing.agent.yaml': NO_AUDIT });
    expect(rule('AG008').map((f) => f.severity)).toEqual(['error']);
    expect(rule('AG012').map((f) => f.severity)).toEqual(['hint']);
  });

  it('applies to workspace rules by their id', () => {
    const rule = `@id("ACME001")\n@severity("error")\n@message("{name}")\nforbid (principal is AgentGov::Tool, action, resource) when { principal.risk == "high" };\n`;
    const off = governed({ '.agentgov/rules/acme.cedar': rule, [CONFIG]: 'rules:\n  ACME001: off\n' });
    expect(off.rule('ACME001')).toEqual([]);
    expect(off.all.filter((f) => f.ruleId === 'agentgov-config')).toEqual([]);
    const info = governed({ '.agentgov/rules/acme.cedar': rule, [CONFIG]: 'rules:\n  ACME001: info\n' });
    expect(info.rule('ACME001').map((f) => f.severity)).toEqual(['info']);
  });
});

describe('maxCredentialTtl', () => {
  it('`10m` makes a 30m credential fire AG006 on its ttl; the default 1h does not', () => {
    expect(governed().rule('AG006')).toEqual([]);
    const { rule, path } = governed({ [CONFIG]: 'maxCredentialTtl: 10m\n' });
    const [f] = rule('AG006');
    expect(f).toMatchObject({ file: path('agents/billing.agent.yaml'), message: expect.stringContaining('the maximum of 10m') });
    expect(f.range).toEqual(rangeOf(BINDING, '30m'));
    expect(f.help).toContain('10m');
  });

  it('takes a number of seconds too', () => {
    expect(governed({ [CONFIG]: 'maxCredentialTtl: 600\n' }).rule('AG006')[0].message).toContain('maximum of 600s');
  });
});

describe('risk keywords', () => {
  it('a keyword of the workspace makes a tool high-risk, says why, and AG011 follows', () => {
    const before = governed();
    expect(before.service.tools().find((t) => t.name === 'approve_loan')?.risk.level).toBe('medium');
    expect(before.rule('AG011')).toEqual([]);
    const { service, rule, path } = governed({ [CONFIG]: 'risk:\n  highRiskKeywords: [approve]\n' });
    const loan = service.tools().find((t) => t.name === 'approve_loan')!;
    expect(loan.risk).toMatchObject({ level: 'high', reason: 'name contains "approve"', keyword: 'approve' });
    const [f] = rule('AG011');
    expect(f).toMatchObject({ tool: 'approve_loan', file: path('agents/billing.agent.yaml'), policy: 'loans' });
    expect(f.range).toEqual(rangeOf(BINDING, 'payments/approve_loan'));
    // Added to the defaults: refund still counts.
    expect(service.tools().find((t) => t.name === 'create_refund')?.risk.level).toBe('high');
  });

  it('`replaceDefaults: true` replaces the default lists', () => {
    const { service } = governed({ [CONFIG]: 'risk:\n  highRiskKeywords: [approve]\n  replaceDefaults: true\n' });
    expect(service.tools().find((t) => t.name === 'create_refund')?.risk).toMatchObject({
      level: 'high',
      reason: expect.stringContaining('MCP tool'),
    });
    expect(service.tools().find((t) => t.name === 'create_refund')?.risk.keyword).toBeUndefined();
  });

  it('a read-only verb of the workspace outweighs the keywords after it', () => {
    const tools = TOOLS.replace('"approve_loan"', '"query_refunds"');
    const base = governed({ 'tools/payments.tools.json': tools });
    expect(base.service.tools().find((t) => t.name === 'query_refunds')?.risk.level).toBe('high');
    const { service } = governed({ 'tools/payments.tools.json': tools, [CONFIG]: 'risk:\n  readOnlyVerbs: [query]\n' });
    expect(service.tools().find((t) => t.name === 'query_refunds')?.risk).toMatchObject({
      level: 'medium',
      readOnlyVerb: 'query',
    });
  });
});

describe('mistakes in the configuration', () => {
  const problems = (text: string) =>
    governed({ [CONFIG]: text })
      .all.filter((f) => f.ruleId === 'agentgov-config')
      .map((f) => ({ severity: f.severity, range: f.range, message: f.message }));

  it('an unknown key, with a "did you mean", on the key', () => {
    const text = 'rule:\n  AG008: off\n';
    expect(problems(text)).toEqual([
      { severity: 'warning', range: rangeOf(text, 'rule'), message: expect.stringContaining('did you mean `rules`?') },
    ]);
  });

  it('a bad severity, on the value; the rule keeps its default', () => {
    const text = 'rules:\n  AG008: eror\n';
    const w = governed({ [CONFIG]: text });
    expect(w.all.filter((f) => f.ruleId === 'agentgov-config')).toEqual([
      expect.objectContaining({
        severity: 'error',
        range: rangeOf(text, 'eror'),
        message: expect.stringContaining('did you mean `error`?'),
      }),
    ]);
    expect(w.rule('AG008').map((f) => f.severity)).toEqual(['warning']);
  });

  it('an unknown rule id, with a "did you mean", on the id', () => {
    const text = 'rules:\n  AG0008: off\n  SEC-42: off\n';
    expect(problems(text)).toEqual([
      { severity: 'warning', range: rangeOf(text, 'AG0008'), message: expect.stringContaining('did you mean `AG008`?') },
      { severity: 'warning', range: rangeOf(text, 'SEC-42'), message: expect.stringContaining('AG001–AG013') },
    ]);
  });

  it('a bad duration, on the value; the default applies', () => {
    const text = 'maxCredentialTtl: 30 minutes\n';
    const w = governed({ [CONFIG]: text });
    expect(w.all.filter((f) => f.ruleId === 'agentgov-config')).toEqual([
      expect.objectContaining({
        severity: 'error',
        range: rangeOf(text, '30 minutes'),
        message: expect.stringContaining('(1h) is used'),
      }),
    ]);
    expect(w.rule('AG006')).toEqual([]);
  });

  it('wrong types, each on its value', () => {
    const text =
      'rules: [AG008]\nrisk:\n  highRiskKeywords: approve\n  replaceDefaults: yes\n  readOnlyVerbs: [query, 3]\nrulesPath: 7\n';
    expect(problems(text)).toEqual([
      { severity: 'error', range: rangeOf(text, '[AG008]'), message: expect.stringContaining('`rules` must be a mapping') },
      { severity: 'error', range: rangeOf(text, 'approve'), message: expect.stringContaining('must be a list of words') },
      { severity: 'error', range: rangeOf(text, 'yes'), message: expect.stringContaining('must be true or false') },
      { severity: 'error', range: rangeOf(text, '3'), message: expect.stringContaining('must be a word') },
      { severity: 'error', range: rangeOf(text, '7'), message: expect.stringContaining('`rulesPath` must be a folder path') },
    ]);
  });

  it('a keyword that can never match one word of a name', () => {
    const text = 'risk:\n  highRiskKeywords: [wire transfer]\n';
    expect(problems(text)).toEqual([
      {
        severity: 'warning',
        range: rangeOf(text, 'wire transfer'),
        message: expect.stringContaining('list `wire` and `transfer` instead'),
      },
    ]);
  });

  it('broken YAML is a finding where it breaks, never a crash; what still reads applies', () => {
    const text = 'rules:\n  AG008: off\nmaxCredentialTtl: [10m\n';
    const w = governed({ [CONFIG]: text });
    const found = w.all.filter((f) => f.ruleId === 'agentgov-config');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.severity === 'error' && f.range.start.line >= 2)).toBe(true);
    expect(w.rule('AG008')).toEqual([]);
    expect(w.all.filter((f) => f.ruleId === 'agentgov-internal')).toEqual([]);
  });

  it('a document that is not a mapping, and one that is empty', () => {
    expect(problems('- AG008\n')).toEqual([
      {
        severity: 'error',
        range: { start: { line: 0, character: 0 }, end: expect.anything() },
        message: expect.stringContaining('must be a mapping of keys'),
      },
    ]);
    expect(problems('# nothing yet\n')).toEqual([]);
  });

  it('`.yml` is read too; next to a `.yaml` it is not, and says so', () => {
    expect(governed({ '.agentgov/config.yml': 'rules:\n  AG008: off\n' }).rule('AG008')).toEqual([]);
    const both = governed({ '.agentgov/config.yml': 'rules:\n  AG008: off\n', [CONFIG]: 'rules:\n  AG008: error\n' });
    expect(both.rule('AG008').map((f) => f.severity)).toEqual(['error']);
    expect(both.all.filter((f) => f.ruleId === 'agentgov-config')).toEqual([
      expect.objectContaining({ file: both.path('.agentgov/config.yml'), message: expect.stringContaining('is used instead') }),
    ]);
  });

  it('a configuration below the top of the workspace folder is not read, and says so', () => {
    const w = governed({ 'sub/.agentgov/config.yaml': 'rules:\n  AG008: off\n' });
    expect(w.rule('AG008')).toHaveLength(1);
    expect(w.all.filter((f) => f.ruleId === 'agentgov-config')).toEqual([
      expect.objectContaining({ file: w.path('sub/.agentgov/config.yaml'), message: expect.stringContaining('is not read') }),
    ]);
  });
});

describe('the configuration as an engine input', () => {
  it('editing it through the service answers the files it affects, and their findings follow', () => {
    const w = governed({ 'agents/billing.agent.yaml': NO_AUDIT, [CONFIG]: 'rules:\n  AG008: off\n' });
    expect(w.rule('AG012')).toHaveLength(1);
    expect(w.rule('AG008')).toEqual([]);
    const affected = w.service.changeDocument(w.path(CONFIG), 'rules:\n  AG012: off\n');
    expect(affected).toEqual(
      expect.arrayContaining([w.path(CONFIG), w.path('agents/billing.agent.yaml'), w.path('policies/billing.cedar')]),
    );
    const after = w.check();
    expect(after.rule('AG012')).toEqual([]);
    expect(after.rule('AG008')).toHaveLength(1);
    // Deleted: the defaults again.
    delete w.fs.files[w.path(CONFIG)];
    w.service.closeDocument(w.path(CONFIG));
    expect(w.check().rule('AG012')).toHaveLength(1);
  });

  it('recomputes only what depends on what changed: a rule level leaves the tools as they were, a keyword re-assesses them', () => {
    const w = governed({ [CONFIG]: 'rules:\n  AG008: off\n' });
    const tools = w.service.tools();
    w.service.changeDocument(w.path(CONFIG), '# levels\nrules:\n  AG008: error\n');
    w.check();
    expect(w.service.tools()).toBe(tools);
    w.service.changeDocument(w.path(CONFIG), 'rules:\n  AG008: error\nrisk:\n  highRiskKeywords: [approve]\n');
    expect(w.service.tools()).not.toBe(tools);
    expect(w.service.tools().find((t) => t.name === 'approve_loan')?.risk.level).toBe('high');
  });

  it('applies to its own workspace folder only', () => {
    const files: Record<string, string> = {};
    for (const root of ['/a', '/b']) {
      files[`${root}/schema.cedarschema`] = SCHEMA;
      files[`${root}/tools/payments.tools.json`] = TOOLS;
      files[`${root}/agents/billing.agent.yaml`] = NO_AUDIT.replace('spiffe://acme/billing', `spiffe://acme${root}`);
      files[`${root}/policies/billing.cedar`] = POLICIES;
    }
    files['/a/.agentgov/config.yaml'] = 'rules:\n  AG012: off\n';
    const service = new GovernanceService({
      fs: memoryFileSystem(files),
      roots: ['/a', '/b'],
      settings: { actionNamespace: 'Acme' },
    });
    service.scan();
    const ag012 = [...service.checkAll().values()].flat().filter((f) => f.ruleId === 'AG012');
    expect(ag012.map((f) => f.file)).toEqual(['/b/agents/billing.agent.yaml']);
  });
});

describe('completion and hover in the configuration', () => {
  const at = (marked: string, files: Record<string, string> = {}) => {
    const { text, pos } = caret(marked);
    const w = governed({ [CONFIG]: text, ...files });
    return { ...w, pos, file: w.path(CONFIG) };
  };

  it('offers the rule ids of the folder under `rules:`, workspace rules too, with what each is', async () => {
    const { completion } = await import('../../../server/src/core/language/completion');
    const rule =
      '@id("ACME001")\n@message("m")\nforbid (principal is AgentGov::Tool, action, resource) when { principal.risk == "high" };\n';
    const w = at('rules:\n  AG008: off\n  ‸\n', { '.agentgov/rules/acme.cedar': rule });
    const items = completion(w.service, w.file, w.pos);
    const labels = items.map((i) => i.label);
    expect(labels).toContain('AG012');
    expect(labels).toContain('ACME001');
    expect(labels).not.toContain('AG008');
    expect(items.find((i) => i.label === 'AG012')).toMatchObject({ detail: 'missing-audit · warning', insertText: 'AG012: ' });
    expect(items.find((i) => i.label === 'AG012')?.documentation).toContain('*');
  });

  it('offers the levels after a rule id, and the keys at each level', async () => {
    const { completion } = await import('../../../server/src/core/language/completion');
    const levels = at('rules:\n  AG008: ‸\n');
    expect(completion(levels.service, levels.file, levels.pos).map((i) => i.label)).toEqual([
      'off',
      'error',
      'warning',
      'info',
      'hint',
    ]);
    const top = at('rules:\n  AG008: off\n‸\n');
    expect(completion(top.service, top.file, top.pos).map((i) => i.label)).toEqual([
      'rules',
      'maxCredentialTtl',
      'risk',
      'rulesPath',
    ]);
    const risk = at('risk:\n  ‸\n');
    expect(completion(risk.service, risk.file, risk.pos).map((i) => i.label)).toEqual([
      'highRiskKeywords',
      'readOnlyVerbs',
      'replaceDefaults',
    ]);
  });

  it('hover on a rule id says the rule, why it matters and its page; on a key what it sets', async () => {
    const { hover } = await import('../../../server/src/core/language/hover');
    const w = at('rules:\n  AG0‸08: off\nmaxCredentialTtl: 1h\n');
    const h = hover(w.service, w.file, w.pos)!;
    expect(h.markdown).toContain('**AG008 unconditional-permit** · default warning');
    expect(h.markdown).toContain('docs/rules/AG008.md');
    expect(h.range).toEqual({ start: { line: 1, character: 2 }, end: { line: 1, character: 7 } });
    const key = hover(w.service, w.file, { line: 2, character: 3 })!;
    expect(key.markdown).toContain('AG006');
  });
});
