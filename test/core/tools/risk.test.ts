import { describe, expect, it } from 'vitest';
import { assessRisk, DEFAULT_RISK_KEYWORDS } from '../../../server/src/core/tools';
import type { ToolDefinition } from '../../../server/src/core/tools/model';
import { nameWords } from '../../../server/src/core/tools/risk';

type RiskInput = Pick<ToolDefinition, 'name' | 'description' | 'annotations' | 'source'>;
const ai = (name: string, extra: Partial<RiskInput> = {}): RiskInput => ({ name, source: 'vercel-ai', ...extra });
const mcp = (name: string, extra: Partial<RiskInput> = {}): RiskInput => ({ name, source: 'mcp-sdk', ...extra });

describe('risk class', () => {
  it('has the documented default keywords', () => {
    expect(DEFAULT_RISK_KEYWORDS).toHaveLength(28);
    expect(DEFAULT_RISK_KEYWORDS).toContain('shutdown');
  });

  it('splits snake, camel, kebab and acronym names into words', () => {
    expect(nameWords('delete_user')).toEqual(['delete', 'user']);
    expect(nameWords('deleteUser')).toEqual(['delete', 'user']);
    expect(nameWords('send-email')).toEqual(['send', 'email']);
    expect(nameWords('runSQLQuery')).toEqual(['run', 'sql', 'query']);
  });

  it('matches keywords on word parts, never inside other words', () => {
    expect(assessRisk(ai('delete_user'))).toMatchObject({ level: 'high', keyword: 'delete', keywordIn: 'name' });
    expect(assessRisk(ai('run_query'))).toMatchObject({ level: 'high', keyword: 'run' });
    expect(assessRisk(ai('truncate_text')).level).toBe('medium');
    expect(assessRisk(ai('get_address')).level).toBe('medium');
    expect(assessRisk(ai('get_payment_status')).level).toBe('medium');
    expect(assessRisk(ai('dropdown_options')).level).toBe('medium');
  });

  it('matches inflected words in descriptions', () => {
    expect(assessRisk(ai('cleanup', { description: 'Deletes stale sessions' }))).toMatchObject({
      level: 'high',
      keyword: 'delete',
      keywordIn: 'description',
      reason: 'description contains "delete"',
    });
    expect(assessRisk(ai('notify', { description: 'Sends a message to Slack' })).keyword).toBe('send');
    expect(assessRisk(ai('jobs', { description: 'Running jobs, listed' })).keyword).toBe('run');
    expect(assessRisk(ai('lookup', { description: 'Look up the sender of a message' })).level).toBe('medium');
  });

  it('MCP tools without readOnlyHint are high by the MCP default', () => {
    expect(assessRisk(mcp('get_invoice'))).toMatchObject({ level: 'high', reason: expect.stringContaining('destructiveHint') });
    expect(assessRisk({ ...mcp('get_invoice'), source: 'mcp-json' }).level).toBe('high');
    expect(assessRisk(mcp('get_invoice', { annotations: { destructiveHint: false } })).level).toBe('medium');
    expect(assessRisk(mcp('get_invoice', { annotations: { readOnlyHint: true } })).level).toBe('low');
  });

  it('other SDKs have no such default; an explicit destructiveHint is high', () => {
    expect(assessRisk(ai('get_invoice')).level).toBe('medium');
    expect(assessRisk(ai('get_invoice', { annotations: { destructiveHint: true } })).level).toBe('high');
    expect(assessRisk(ai('get_invoice', { annotations: { readOnlyHint: true } })).level).toBe('low');
  });

  it('a keyword wins over readOnlyHint, and the hint is flagged as misleading', () => {
    expect(assessRisk(mcp('delete_user', { annotations: { readOnlyHint: true } }))).toMatchObject({
      level: 'high',
      misleadingReadOnly: true,
    });
    expect(assessRisk(mcp('get_user', { annotations: { readOnlyHint: true } })).misleadingReadOnly).toBe(false);
  });

  it('custom keywords and a binding override', () => {
    expect(assessRisk(ai('archive_doc'), { keywords: ['archive'] })).toMatchObject({ level: 'high', keyword: 'archive' });
    expect(assessRisk(ai('delete_user'), { keywords: ['archive'] }).level).toBe('medium');
    expect(assessRisk(mcp('delete_cache'), { override: 'low' })).toMatchObject({
      level: 'low',
      reason: expect.stringContaining('override'),
    });
  });
});
