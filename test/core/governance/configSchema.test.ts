import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_DURATION_PATTERN,
  CONFIG_KEYS,
  RISK_KEYS,
  RISK_KEYWORD_PATTERN,
  RULE_LEVELS,
  WORKSPACE_RULE_ID_PATTERN,
} from '../../../server/src/core/config/configRules';
import { readConfig } from '../../../server/src/core/config/readConfig';
import { builtInRulePack } from '../../../server/src/core/governance/rulePack';

const REPO = resolve(__dirname, '../../..');
const schema = JSON.parse(readFileSync(resolve(REPO, 'schemas/agentgov-config.schema.json'), 'utf8'));
const props = schema.properties;
const pkg = JSON.parse(readFileSync(resolve(REPO, 'package.json'), 'utf8'));

const validate = new Ajv({ allErrors: true }).compile(schema);

describe('agentgov-config.schema.json says what the reader checks', () => {
  it('is draft-07, flags unknown keys, and has the code’s keys with the code’s descriptions', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(props.risk.additionalProperties).toBe(false);
    expect(Object.keys(props)).toEqual(Object.keys(CONFIG_KEYS));
    expect(Object.keys(props.risk.properties)).toEqual(Object.keys(RISK_KEYS));
    for (const [k, doc] of Object.entries(CONFIG_KEYS)) expect(props[k].description, k).toBe(doc);
    for (const [k, doc] of Object.entries(RISK_KEYS)) expect(props.risk.properties[k].description, k).toBe(doc);
  });

  it('names every built-in rule (with its name and why) and admits the workspace rules’ ids', () => {
    const rules = builtInRulePack().rules();
    expect(props.rules.propertyNames.anyOf[0].enum).toEqual(rules.map((r) => r.ruleId));
    expect(props.rules.propertyNames.anyOf[1].pattern).toBe(WORKSPACE_RULE_ID_PATTERN);
    for (const r of rules) {
      expect(props.rules.properties[r.ruleId].enum).toEqual([...RULE_LEVELS]);
      expect(props.rules.properties[r.ruleId].description).toMatch(new RegExp(`^${r.name} \\(default ${r.severity}\\): \\S`));
    }
    expect(props.rules.additionalProperties.enum).toEqual([...RULE_LEVELS]);
  });

  it('describes every key, list item and rule level (the YAML extension shows them)', () => {
    const undocumented: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      if (typeof node.description !== 'string') undocumented.push(path);
      for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>))
        walk(v, `${path}.${k}`);
      if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties as Record<string, unknown>, `${path}.*`);
    };
    walk(schema, '');
    expect(undocumented).toEqual([]);
  });

  it('has the same duration and keyword patterns', () => {
    expect(props.maxCredentialTtl.oneOf[1].pattern).toBe(CONFIG_DURATION_PATTERN);
    expect(props.risk.properties.highRiskKeywords.items.pattern).toBe(RISK_KEYWORD_PATTERN);
  });

  it('is contributed for `.agentgov/config.yaml` and `.yml`, next to the `agentgov.rulesPath` setting', () => {
    expect(pkg.contributes.yamlValidation).toContainEqual({
      fileMatch: ['**/.agentgov/config.yaml', '**/.agentgov/config.yml'],
      url: './schemas/agentgov-config.schema.json',
    });
    expect(pkg.contributes.configuration.properties['agentgov.rulesPath']).toMatchObject({
      type: 'string',
      default: '.agentgov/rules',
      scope: 'resource',
      markdownDescription: expect.stringContaining('config.yaml'),
    });
  });

  it('agrees with the reader on a good and on a bad file', () => {
    const good = `rules:\n  AG008: off\n  AG012: error\n  acme.no-prod-deploy: hint\nmaxCredentialTtl: 30m\nrisk:\n  highRiskKeywords: [wire, approve]\n  readOnlyVerbs: [query]\n  replaceDefaults: false\nrulesPath: governance/rules\n`;
    expect(validate(parse(good))).toBe(true);
    expect(readConfig('/ws/.agentgov/config.yaml', good).problems).toEqual([]);
    for (const bad of [
      'rule:\n  AG008: off\n',
      'rules:\n  AG008: eror\n',
      'maxCredentialTtl: 30 minutes\n',
      'risk:\n  highRiskKeywords: approve\n',
      'risk:\n  highRiskKeywords: [wire transfer]\n',
      'risk:\n  replaceDefaults: yes\n',
      'rulesPath: 7\n',
    ]) {
      expect(validate(parse(bad)), bad).toBe(false);
      expect(readConfig('/ws/.agentgov/config.yaml', bad).problems, bad).not.toEqual([]);
    }
  });
});
