import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindingRules, formatDuration, parseDuration, parseEntityRef } from '../../../server/src/core/bindings';

const schema = JSON.parse(readFileSync(resolve(__dirname, '../../../schemas/agent-binding.schema.json'), 'utf8'));
const props = schema.properties;
const credential = props.credentials.items;

/** Every property of the schema, with its path, to check each one is documented. */
function allProperties(node: Record<string, unknown>, path = ''): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [k, v] of Object.entries(properties)) {
    out.push([path + k, v], ...allProperties(v, `${path}${k}.`));
    if (v.items && typeof v.items === 'object') out.push(...allProperties(v.items as Record<string, unknown>, `${path}${k}[].`));
  }
  return out;
}

describe('agent-binding.schema.json says what the reader checks', () => {
  it('is draft-07 and flags unknown keys at every level', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    for (const node of [schema, props.identity, credential, props.audit]) expect(node.additionalProperties).toBe(false);
  });

  it('has the same keys as the code at every level', () => {
    expect(Object.keys(props).sort()).toEqual([...bindingRules.TOP_LEVEL_KEYS].sort());
    expect(Object.keys(props.identity.properties).sort()).toEqual([...bindingRules.IDENTITY_KEYS].sort());
    expect(Object.keys(credential.properties).sort()).toEqual([...bindingRules.CREDENTIAL_KEYS].sort());
    expect(Object.keys(props.audit.properties).sort()).toEqual([...bindingRules.AUDIT_KEYS].sort());
  });

  it('has the same required keys, enums and patterns', () => {
    expect(schema.required).toEqual([...bindingRules.REQUIRED_TOP_LEVEL]);
    expect(credential.required).toEqual([...bindingRules.REQUIRED_CREDENTIAL]);
    expect(props.identity.properties.type.enum).toEqual([...bindingRules.IDENTITY_TYPES]);
    expect(credential.properties.type.enum).toEqual([...bindingRules.CREDENTIAL_TYPES]);
    expect(props.risk.additionalProperties.enum).toEqual([...bindingRules.RISK_LEVELS]);
    expect(credential.properties.ttl.oneOf[1].pattern).toBe(bindingRules.DURATION_PATTERN);
    expect(props.principal.pattern).toBe(bindingRules.ENTITY_REF_PATTERN);
  });

  it('documents every property (for completion and hovers)', () => {
    for (const [path, p] of allProperties(schema)) expect(typeof p.description, path).toBe('string');
  });
});

describe('durations', () => {
  it.each([
    ['15m', 900],
    ['1h', 3600],
    ['3600s', 3600],
    ['1h30m', 5400],
    ['2d', 172800],
    ['1d2h3m4s', 93784],
    ['3600', 3600],
    [' 10m ', 600],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0', '0s', '90x', '1m1h', 'h', '1.5h', '-5m', '15 m', 'PT15M'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats seconds back', () => {
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(90000)).toBe('1d1h');
  });
});

describe('principal references', () => {
  it('parses namespaced types and Cedar escapes', () => {
    expect(parseEntityRef('Agent::"billing-assistant"')).toEqual({ type: 'Agent', id: 'billing-assistant' });
    expect(parseEntityRef('Acme::Ops::Agent::"a\\"b\\\\c"')).toEqual({ type: 'Acme::Ops::Agent', id: 'a"b\\c' });
    expect(parseEntityRef('Agent::"\\u{1F680}"')).toEqual({ type: 'Agent', id: '🚀' });
  });

  it('rejects what is not an entity reference', () => {
    for (const t of ['billing', 'Agent::billing', '::"x"', 'Agent::"x', '1Agent::"x"'])
      expect(parseEntityRef(t), t).toBeUndefined();
  });
});
