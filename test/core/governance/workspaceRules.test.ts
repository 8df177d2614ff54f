import { describe, expect, it } from 'vitest';
import { posOf } from '../helpers';
import { BINDING, governed, TOOLS } from './workspaceFixture';

/*
 * Workspace rules (`.agentgov/rules/*.cedar`, setting `agentgov.rulesPath`): annotated `forbid`s
 * over the governance facts, judged like the built-in rules, with Cedar's own findings against
 * the facts schema, and never part of the workspace's policies.
 */

const RULE = `// High-risk tools need an owner's review here.
@id("ACME001")
@name("high-risk-tool")
@severity("error")
@why("Acme reviews every high-risk tool before an agent may hold it.")
@message("Tool \\"{name}\\" is high-risk ({riskReason}): it needs Acme's review.")
@help("Ask #sec-review for tool \\"{name}\\".")
@frameworks("OWASP-ASI-2026:ASI02; NIST-AI-RMF:GOVERN 1.6")
@docs("https://acme.example/rules/ACME001")
forbid (principal is AgentGov::Tool, action == AgentGov::Action::"evaluate", resource)
when { principal.risk == "high" && !principal.readOnlyHint };
`;

const TTL_RULE = `@id("ACME002")
@severity("info")
@at("ttl")
@message("Credential \\"{name}\\" of \\"{agent}\\" lives {ttlText}.")
forbid (principal is AgentGov::Credential, action == AgentGov::Action::"evaluate", resource)
when { principal.hasTtl && principal.ttlSeconds > 900 };
`;

const RULE_PATH = '.agentgov/rules/acme.cedar';

describe('a workspace rule', () => {
  it('fires on its subject with its message, severity, help, frameworks and page', () => {
    const { rule, path } = governed({ [RULE_PATH]: RULE });
    const found = rule('ACME001');
    expect(found.map((f) => f.tool)).toEqual(['create_refund']);
    const [f] = found;
    expect(f).toMatchObject({
      file: path('tools/payments.tools.json'),
      severity: 'error',
      message: 'Tool "create_refund" is high-risk (name contains "refund"): it needs Acme\'s review.',
      help: 'Ask #sec-review for tool "create_refund".',
      url: 'https://acme.example/rules/ACME001',
      frameworks: [
        { framework: 'OWASP-ASI-2026', id: 'ASI02' },
        { framework: 'NIST-AI-RMF', id: 'GOVERN 1.6' },
      ],
    });
    expect(f.range.start).toEqual(posOf(TOOLS, '"create_refund"'));
  });

  it('goes where its `@at` says: a credential rule on the `ttl` value', () => {
    const { rule, path } = governed({ [RULE_PATH]: TTL_RULE });
    const [f] = rule('ACME002');
    expect(f).toMatchObject({
      file: path('agents/billing.agent.yaml'),
      severity: 'info',
      message: 'Credential "payments-api" of "billing" lives 30m.',
    });
    expect(f.range.start).toEqual(posOf(BINDING, '30m'));
  });

  it('is read from the folder `agentgov.rulesPath` names; the default folder then holds a plain policy', () => {
    const { rule } = governed({ 'governance/rules/acme.cedar': RULE }, { rulesPath: 'governance/rules' });
    expect(rule('ACME001')).toHaveLength(1);
    const other = governed({ [RULE_PATH]: RULE }, { rulesPath: 'governance/rules' });
    expect(other.rule('ACME001')).toEqual([]);
    // Now a policy of the workspace, validated against the workspace schema, where AgentGov:: is unknown.
    expect(other.all.some((f) => f.file === other.path(RULE_PATH) && f.ruleId === 'cedar-validation')).toBe(true);
  });

  it('`rulesPath` in `.agentgov/config.yaml` wins over the setting', () => {
    const { rule } = governed(
      { 'governance/rules/acme.cedar': RULE, '.agentgov/config.yaml': 'rulesPath: governance/rules\n' },
      { rulesPath: 'elsewhere' },
    );
    expect(rule('ACME001')).toHaveLength(1);
  });
});

describe('a rule file with Cedar errors', () => {
  it('gets cedar-validation against the facts schema on the unknown attribute; its other rules and the built-in rules still work', () => {
    const bad = `@id("ACME009")\nforbid (principal is AgentGov::Tool, action, resource) when { principal.owner == "" };\n`;
    const text = `${RULE}\n${bad}`;
    const { all, rule, path } = governed({
      [RULE_PATH]: text,
      'agents/billing.agent.yaml': BINDING.replace('audit:\n  sink: otel://collector:4317\n', ''),
    });
    const onRule = all.filter((f) => f.file === path(RULE_PATH));
    expect(onRule).toEqual([
      expect.objectContaining({
        ruleId: 'cedar-validation',
        severity: 'error',
        policy: 'ACME009',
        range: { start: posOf(text, 'principal.owner'), end: posOf(text, 'principal.owner', 'principal.owner'.length) },
      }),
    ]);
    expect(onRule[0].message).toContain('owner');
    expect(rule('ACME001')).toHaveLength(1);
    expect(rule('ACME009')).toEqual([]);
    expect(rule('AG012')).toHaveLength(1);
    expect(rule('AG008')).toHaveLength(1);
  });

  it('gets cedar-parse on the syntax error, and the built-in rules still work', () => {
    const text = `@id("ACME003")\nforbid (principal is AgentGov::Tool, action, resource) when { principal.risk == };\n`;
    const { all, rule, path } = governed({ [RULE_PATH]: text });
    const parse = all.filter((f) => f.file === path(RULE_PATH) && f.ruleId === 'cedar-parse');
    expect(parse).toHaveLength(1);
    expect(parse[0].range.start.line).toBe(1);
    expect(parse[0].range.start.character).toBeGreaterThanOrEqual(text.split('\n')[1].indexOf('=='));
    expect(all.filter((f) => f.ruleId === 'agentgov-rules')).toEqual([]);
    expect(rule('AG008')).toHaveLength(1);
  });

  it('reports unusable annotations, permits and missing ids on the rule (agentgov-rules)', () => {
    const text = [
      '@id("ACME004") @severity("critical") @message("m")',
      'forbid (principal is AgentGov::Tool, action, resource) when { principal.risk == "high" };',
      'permit (principal, action, resource);',
      '@message("no id")',
      'forbid (principal is AgentGov::Agent, action, resource) when { principal.toolCount > 99 };',
      '@id("AG001") @message("m")',
      'forbid (principal is AgentGov::Agent, action, resource) when { principal.toolCount > 99 };',
      '',
    ].join('\n');
    const { all, rule, path } = governed({ [RULE_PATH]: text });
    const problems = all.filter((f) => f.ruleId === 'agentgov-rules');
    expect(problems.every((p) => p.file === path(RULE_PATH))).toBe(true);
    const at = (needle: string, nth = 0) => ({
      start: posOf(text, needle, 0, nth),
      end: posOf(text, needle, needle.length, nth),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'warning',
          range: at('forbid'),
          message: expect.stringContaining('@severity("critical")'),
        }),
        expect.objectContaining({ severity: 'warning', range: at('permit'), message: expect.stringContaining('not a rule') }),
        expect.objectContaining({ severity: 'info', range: at('forbid', 1), message: expect.stringContaining('no @id') }),
        expect.objectContaining({
          severity: 'warning',
          range: at('forbid', 2),
          message: expect.stringContaining('built-in rule'),
        }),
      ]),
    );
    // The rule with the unusable severity still judges, at the default severity.
    expect(rule('ACME004')).toEqual([expect.objectContaining({ severity: 'warning', tool: 'create_refund' })]);
  });
});

describe('a rule file is not a workspace policy', () => {
  it('is neither in the policy set, nor validated against the workspace schema, nor judged by the permit rules', () => {
    const withPermit = `${RULE}\npermit (principal, action, resource);\n`;
    const { service, all, path } = governed({ [RULE_PATH]: withPermit });
    expect(service.policySet().policies.map((p) => p.file)).not.toContain(path(RULE_PATH));
    expect(service.isRuleFile(path(RULE_PATH))).toBe(true);
    expect(service.schemaFilesFor(path(RULE_PATH))).toEqual([]);
    const onRule = all.filter((f) => f.file === path(RULE_PATH));
    // The workspace schema (Acme::) knows no AgentGov:: type: validated against it, every rule would fail.
    expect(onRule.filter((f) => f.ruleId.startsWith('cedar-'))).toEqual([]);
    expect(onRule.filter((f) => /^AG\d/.test(f.ruleId))).toEqual([]);
    expect(all.filter((f) => /^AG(008|009|010)$/.test(f.ruleId)).map((f) => f.policy)).toEqual(['loans']);
  });

  it('answers hover and completion from the facts schema', () => {
    const { service, path } = governed({ [RULE_PATH]: RULE });
    const schema = service.schemaFor(path(RULE_PATH));
    expect(schema?.entityTypes.get('AgentGov::Tool')?.attributes.riskReason).toBeDefined();
    expect(schema?.entityTypes.has('Acme::Agent')).toBe(false);
  });
});

describe('editing a rule file', () => {
  it('re-runs the rules: the edited rule fires where it now matches, through the file events', () => {
    const w = governed({ [RULE_PATH]: RULE });
    expect(w.rule('ACME001').map((f) => f.tool)).toEqual(['create_refund']);
    const affected = w.service.changeDocument(
      w.path(RULE_PATH),
      RULE.replace('principal.risk == "high"', 'principal.risk != "low"'),
    );
    expect(affected).toContain(w.path('tools/payments.tools.json'));
    expect(
      w
        .check()
        .rule('ACME001')
        .map((f) => f.tool)
        .sort(),
    ).toEqual(['approve_loan', 'create_refund']);
    w.service.changeDocument(w.path(RULE_PATH), '');
    expect(w.check().rule('ACME001')).toEqual([]);
  });

  it('a rule file created later joins the pack', () => {
    const w = governed();
    w.fs.files[w.path(RULE_PATH)] = RULE;
    const affected = w.service.diskChanged(w.path(RULE_PATH));
    expect(affected).toContain(w.path(RULE_PATH));
    expect(w.check().rule('ACME001')).toHaveLength(1);
  });
});

describe('a rules path outside the workspace folder', () => {
  it('names no rule file: the policies stay policies, and the configuration says why', () => {
    const { service, all, path } = governed({ '.agentgov/config.yaml': 'rulesPath: /\n' });
    expect(service.isRuleFile(path('policies/billing.cedar'))).toBe(false);
    expect(service.policySet().policies.map((p) => p.id)).toContain('loans');
    expect(all.filter((f) => f.ruleId === 'agentgov-config')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('outside this workspace folder') }),
    ]);
  });
});
