import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeRef,
  entryOf,
  FRAMEWORK_IDS,
  frameworkOf,
  type Framework,
} from '../../../server/src/core/governance/frameworks/catalog';

const DIR = join(__dirname, '../../../server/src/core/governance/frameworks');

/** The JSON files as they are on disk, independent of what the catalog imports. */
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, data: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Framework }));

/** SPEC §6 rules → their framework mappings (docs/rules/README.md shows the same table). */
const MAPPINGS: Record<string, [string, string][]> = {
  AG001: [
    ['OWASP-ASI-2026', 'ASI02'],
    ['OWASP-LLM-2025', 'LLM06'],
    ['CSA-MAESTRO', 'L7 Agent Tool Misuse'],
    ['NIST-AI-RMF', 'GOVERN 1.6'],
    ['MITRE-ATLAS', 'AML.M0028'],
  ],
  AG002: [
    ['OWASP-ASI-2026', 'ASI03'],
    ['OWASP-NHI-2025', 'NHI5'],
    ['NIST-AI-RMF', 'GOVERN 2.1'],
    ['NIST-AI-RMF', 'MEASURE 2.8'],
  ],
  AG003: [
    ['NIST-AI-RMF', 'GOVERN 1.6'],
    ['NIST-AI-RMF', 'MAP 3.3'],
  ],
  AG004: [
    ['OWASP-ASI-2026', 'ASI03'],
    ['OWASP-NHI-2025', 'NHI10'],
    ['CSA-MAESTRO', 'L7 Agent Identity Attack'],
    ['NIST-AI-RMF', 'GOVERN 2.1'],
    ['MITRE-ATLAS', 'AML.T0012'],
  ],
  AG005: [
    ['OWASP-ASI-2026', 'ASI03'],
    ['OWASP-NHI-2025', 'NHI9'],
    ['CSA-MAESTRO', 'L7 Agent Identity Attack'],
    ['NIST-AI-RMF', 'MEASURE 2.8'],
    ['MITRE-ATLAS', 'AML.M0027'],
  ],
  AG006: [
    ['OWASP-ASI-2026', 'ASI03'],
    ['OWASP-NHI-2025', 'NHI7'],
    ['OWASP-NHI-2025', 'NHI1'],
    ['MITRE-ATLAS', 'AML.T0055'],
    ['MITRE-ATLAS', 'AML.T0091.000'],
  ],
  AG007: [
    ['OWASP-NHI-2025', 'NHI2'],
    ['OWASP-ASI-2026', 'ASI03'],
    ['MITRE-ATLAS', 'AML.T0083'],
    ['MITRE-ATLAS', 'AML.T0055'],
  ],
  AG008: [
    ['OWASP-ASI-2026', 'ASI02'],
    ['OWASP-LLM-2025', 'LLM06'],
    ['NIST-AI-RMF', 'MEASURE 2.7'],
    ['MITRE-ATLAS', 'AML.M0028'],
  ],
  AG009: [
    ['OWASP-ASI-2026', 'ASI03'],
    ['OWASP-NHI-2025', 'NHI5'],
    ['OWASP-LLM-2025', 'LLM06'],
    ['CSA-MAESTRO', 'Cross-layer Privilege Escalation'],
  ],
  AG010: [
    ['OWASP-LLM-2025', 'LLM06'],
    ['OWASP-NHI-2025', 'NHI5'],
    ['OWASP-ASI-2026', 'ASI02'],
    ['MITRE-ATLAS', 'AML.M0026'],
  ],
  AG011: [
    ['OWASP-ASI-2026', 'ASI02'],
    ['OWASP-ASI-2026', 'ASI09'],
    ['OWASP-LLM-2025', 'LLM06'],
    ['NIST-AI-RMF', 'MAP 3.5'],
    ['NIST-AI-RMF', 'MANAGE 2.4'],
    ['MITRE-ATLAS', 'AML.M0029'],
    ['MITRE-ATLAS', 'AML.T0101'],
  ],
  AG012: [
    ['CSA-MAESTRO', 'L7 Repudiation'],
    ['CSA-MAESTRO', 'L5 Evasion of Detection'],
    ['NIST-AI-RMF', 'MEASURE 2.4'],
    ['NIST-AI-RMF', 'MANAGE 4.1'],
    ['MITRE-ATLAS', 'AML.M0024'],
  ],
  AG013: [
    ['OWASP-ASI-2026', 'ASI04'],
    ['OWASP-ASI-2026', 'ASI02'],
    ['CSA-MAESTRO', 'L7 Inaccurate Agent Capability Description'],
    ['MITRE-ATLAS', 'AML.T0110'],
  ],
};

/** Every id notes/frameworks.md lists, beyond the mapping table. */
const LISTED: [string, string[]][] = [
  ['OWASP-ASI-2026', Array.from({ length: 10 }, (_, i) => `ASI${String(i + 1).padStart(2, '0')}`)],
  ['OWASP-NHI-2025', Array.from({ length: 10 }, (_, i) => `NHI${i + 1}`)],
  ['OWASP-LLM-2025', Array.from({ length: 10 }, (_, i) => `LLM${String(i + 1).padStart(2, '0')}`)],
  ['CSA-MAESTRO', ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L3 Supply Chain Attacks']],
  [
    'NIST-AI-RMF',
    ['GOVERN 1.6', 'GOVERN 2.1', 'GOVERN 3.2', 'GOVERN 6.1', 'MAP 3.3', 'MAP 3.5', 'MAP 4.1', 'MAP 4.2']
      .concat(['MEASURE 2.4', 'MEASURE 2.7', 'MEASURE 2.8'])
      .concat(['MANAGE 1.3', 'MANAGE 2.4', 'MANAGE 3.1', 'MANAGE 4.1', 'MANAGE 4.3']),
  ],
  [
    'MITRE-ATLAS',
    ['AML.T0051', 'AML.T0053', 'AML.T0055', 'AML.T0012', 'AML.T0073', 'AML.T0081', 'AML.T0083', 'AML.T0086']
      .concat(['AML.T0091.000', 'AML.T0098', 'AML.T0101', 'AML.T0110'])
      .concat(['AML.M0024', 'AML.M0026', 'AML.M0027', 'AML.M0028', 'AML.M0029', 'AML.M0030', 'AML.M0032', 'AML.M0033']),
  ],
];

describe('framework catalog', () => {
  it('has one file per framework id, and the catalog serves each', () => {
    expect(files.map((f) => f.file).sort()).toEqual(FRAMEWORK_IDS.map((id) => `${id}.json`).sort());
    for (const { file, data } of files) {
      expect(data.framework, file).toBe(file.replace(/\.json$/, ''));
      expect(frameworkOf(data.framework)).toEqual(data);
    }
    expect(frameworkOf('OWASP-TOP10-2021')).toBeUndefined();
  });

  it('every file has its fields and every entry an id, name, one-line summary and https link', () => {
    for (const { file, data } of files) {
      for (const key of ['name', 'publisher', 'url', 'license'] as const) {
        expect(typeof data[key], `${file} ${key}`).toBe('string');
        expect(data[key].trim(), `${file} ${key}`).not.toBe('');
      }
      expect(data.version ?? data.date, `${file} version or date`).toBeTruthy();
      expect(data.url).toMatch(/^https:\/\//);
      expect(data.entries.length, file).toBeGreaterThan(0);
      for (const e of data.entries) {
        const where = `${file} ${e.id}`;
        expect(e.id.trim(), where).not.toBe('');
        expect(e.name.trim(), where).not.toBe('');
        expect(e.summary.trim(), where).not.toBe('');
        expect(e.summary, where).not.toMatch(/\n/);
        expect(e.url, where).toMatch(/^https:\/\//);
      }
    }
  });

  it('entry ids are unique within each framework', () => {
    for (const { file, data } of files) {
      const ids = data.entries.map((e) => e.id);
      expect(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        file,
      ).toEqual([]);
    }
  });

  it('every CC BY-SA framework carries an attribution naming the source and the licence', () => {
    const shareAlike = files.filter((f) => /CC BY-SA/i.test(f.data.license));
    expect(shareAlike.map((f) => f.data.framework).sort()).toEqual(['OWASP-ASI-2026', 'OWASP-LLM-2025', 'OWASP-NHI-2025']);
    for (const { file, data } of shareAlike) {
      expect(data.attribution, file).toMatch(/CC BY-SA 4\.0/);
      expect(data.attribution, file).toContain('https://creativecommons.org/licenses/by-sa/4.0/');
      expect(data.attribution, file).toContain(data.publisher.split(',')[0]);
    }
  });

  it('every framework id of the rules mapping table resolves', () => {
    const missing = Object.entries(MAPPINGS).flatMap(([rule, refs]) =>
      refs.filter(([framework, id]) => !entryOf(framework, id)).map(([framework, id]) => `${rule}: ${framework} ${id}`),
    );
    expect(missing).toEqual([]);
  });

  it('every id listed in the framework notes resolves', () => {
    const missing = LISTED.flatMap(([framework, ids]) =>
      ids.filter((id) => !entryOf(framework, id)).map((id) => `${framework} ${id}`),
    );
    expect(missing).toEqual([]);
  });

  it('entryOf is undefined for an unknown framework or id', () => {
    expect(entryOf('OWASP-ASI-2026', 'ASI11')).toBeUndefined();
    expect(entryOf('OWASP-ASI-2099', 'ASI02')).toBeUndefined();
    expect(entryOf('MITRE-ATLAS', 'AML.T0091.001')).toBeUndefined();
  });

  it('describes a reference with the entry name, without repeating MAESTRO threat names', () => {
    expect(describeRef({ framework: 'OWASP-ASI-2026', id: 'ASI02' })).toBe('OWASP-ASI-2026 ASI02 Tool Misuse and Exploitation');
    expect(describeRef({ framework: 'OWASP-NHI-2025', id: 'NHI7' })).toBe('OWASP-NHI-2025 NHI7 Long-Lived Secrets');
    expect(describeRef({ framework: 'MITRE-ATLAS', id: 'AML.T0091.000' })).toBe(
      'MITRE-ATLAS AML.T0091.000 Application Access Token',
    );
    expect(describeRef({ framework: 'CSA-MAESTRO', id: 'L7 Agent Tool Misuse' })).toBe('CSA-MAESTRO L7 Agent Tool Misuse');
    expect(describeRef({ framework: 'CSA-MAESTRO', id: 'L7' })).toBe('CSA-MAESTRO L7 Agent Ecosystem');
    expect(describeRef({ framework: 'NIST-AI-RMF', id: 'GOVERN 9.9' })).toBe('NIST-AI-RMF GOVERN 9.9');
  });

  it('the ATLAS names are those of ATLAS data v5.6 (spot checks)', () => {
    expect(entryOf('MITRE-ATLAS', 'AML.M0028')?.name).toBe('AI Agent Tools Permissions Configuration');
    expect(entryOf('MITRE-ATLAS', 'AML.T0110')?.name).toBe('AI Agent Tool Poisoning');
    expect(entryOf('MITRE-ATLAS', 'AML.T0101')?.name).toBe('Data Destruction via AI Agent Tool Invocation');
  });
});
