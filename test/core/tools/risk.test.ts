import { describe, expect, it } from 'vitest';
import { assessRisk, DEFAULT_RISK_KEYWORDS } from '../../../server/src/core/tools';
import type { ToolDefinition } from '../../../server/src/core/tools/model';
import { DEFAULT_READ_ONLY_VERBS, nameWords } from '../../../server/src/core/tools/risk';

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

  it('has a documented default list of read-only verbs, none of them a risk keyword', () => {
    expect(DEFAULT_READ_ONLY_VERBS).toEqual(expect.arrayContaining(['get', 'list', 'search', 'check', 'lookup', 'status']));
    for (const verb of DEFAULT_READ_ONLY_VERBS) {
      expect(assessRisk(ai(`${verb}_deleted_items`))).toMatchObject({ level: 'medium', readOnlyVerb: verb });
    }
  });

  it('a read-only verb leading the name outweighs risk keywords later in it', () => {
    expect(assessRisk(ai('check_payout_status'))).toEqual({
      level: 'medium',
      reason: 'name leads with the read-only verb "check", which outweighs "payout" (no read-only hint)',
      readOnlyVerb: 'check',
      misleadingReadOnly: false,
    });
    expect(assessRisk(ai('getRefundStatus'))).toMatchObject({ level: 'medium', readOnlyVerb: 'get' });
    expect(assessRisk(ai('getRefundStatus'))).not.toHaveProperty('keyword');
    expect(assessRisk(ai('list-deleted-items'))).toMatchObject({ level: 'medium', readOnlyVerb: 'list' });
    expect(nameWords('lookupOrderRefunds')).toEqual(['lookup', 'order', 'refunds']);
    expect(assessRisk(ai('lookupOrderRefunds'))).toMatchObject({ level: 'medium', readOnlyVerb: 'lookup' });
    expect(assessRisk(ai('look_up_payout'))).toMatchObject({ level: 'medium', readOnlyVerb: 'lookup' });
    expect(assessRisk(ai('LookUpTransfer'))).toMatchObject({ level: 'medium', readOnlyVerb: 'lookup' });
    expect(assessRisk(ai('search_sent_emails')).level).toBe('medium');
  });

  it('a risky verb leading the name is still high, and so is a second action after "and"/"then"', () => {
    expect(assessRisk(ai('run_query'))).toMatchObject({
      level: 'high',
      keyword: 'run',
      keywordIn: 'name',
      reason: 'name contains "run"',
    });
    expect(assessRisk(ai('delete_user'))).toMatchObject({ level: 'high', keyword: 'delete' });
    expect(assessRisk(ai('sendEmail'))).toMatchObject({ level: 'high', keyword: 'send' });
    expect(assessRisk(ai('queryThenDelete')).level).toBe('high');
    expect(assessRisk(ai('get_user_and_delete_sessions'))).toMatchObject({
      level: 'high',
      keyword: 'delete',
      readOnlyVerb: 'get',
      reason: 'name contains "delete" after "and", beyond the read-only verb "get" leading it',
    });
    // A risk keyword never counts as a read-only verb, even when the verb list names it.
    expect(assessRisk(ai('run_report'), { readOnlyVerbs: ['run'] })).toMatchObject({ level: 'high', keyword: 'run' });
  });

  it('description keywords never override readOnlyHint: true, nor a leading read-only verb', () => {
    const description = 'Full-text search over names, emails and refunds';
    for (const source of ['vercel-ai', 'mcp-sdk'] as const) {
      const r = assessRisk({ name: 'search_customers', source, description, annotations: { readOnlyHint: true } });
      expect(r).toMatchObject({ level: 'low', misleadingReadOnly: false });
      expect(r).not.toHaveProperty('keyword');
      expect(r.reason).toBe('annotated `readOnlyHint: true`; the read-only hint wins over the description\'s "refund"');
    }
    expect(assessRisk(ai('customers', { description: 'Deletes nothing', annotations: { readOnlyHint: true } }))).toMatchObject({
      level: 'low',
      misleadingReadOnly: false,
    });
    // Without the hint a description keyword is still high, unless a read-only verb leads the name.
    expect(assessRisk(ai('customers', { description })).level).toBe('high');
    expect(assessRisk(ai('list_sessions', { description: 'Lists sessions, deleted ones too' }))).toMatchObject({
      level: 'medium',
      readOnlyVerb: 'list',
      reason: 'name leads with the read-only verb "list", which outweighs the description\'s "delete" (no read-only hint)',
    });
  });

  it('misleadingReadOnly only when the name carries a keyword no read-only verb outweighs', () => {
    expect(assessRisk(ai('delete_user', { annotations: { readOnlyHint: true } }))).toMatchObject({
      level: 'high',
      misleadingReadOnly: true,
    });
    expect(assessRisk(ai('check_payout_status', { annotations: { readOnlyHint: true } }))).toEqual({
      level: 'low',
      reason: 'annotated `readOnlyHint: true`; the read-only verb "check" leading the name outweighs "payout"',
      readOnlyVerb: 'check',
      misleadingReadOnly: false,
    });
    expect(assessRisk(mcp('get_and_delete_user', { annotations: { readOnlyHint: true } }))).toMatchObject({
      level: 'high',
      misleadingReadOnly: true,
    });
  });

  it('read-only verbs are configurable', () => {
    expect(assessRisk(ai('audit_refunds'), { readOnlyVerbs: ['audit'] })).toMatchObject({
      level: 'medium',
      readOnlyVerb: 'audit',
    });
    expect(assessRisk(ai('get_refund_status'), { readOnlyVerbs: ['audit'] })).toMatchObject({ level: 'high', keyword: 'refund' });
    expect(assessRisk(ai('dry_run_deploy'), { readOnlyVerbs: ['Dry Run'] })).toMatchObject({
      level: 'medium',
      readOnlyVerb: 'Dry Run',
    });
    expect(assessRisk(ai('check_archive_state'), { keywords: ['archive'] })).toMatchObject({
      level: 'medium',
      readOnlyVerb: 'check',
    });
  });

  it("MCP's default still makes a read-only-named tool high, and says so", () => {
    const reason =
      "MCP tool without `readOnlyHint: true` (MCP's `destructiveHint` defaults to true; " +
      'its name leads with the read-only verb "get": add `readOnlyHint: true` if it only reads)';
    expect(assessRisk(mcp('get_invoice'))).toEqual({ level: 'high', reason, readOnlyVerb: 'get', misleadingReadOnly: false });
    for (const source of ['mcp-sdk', 'mcp-sdk-legacy', 'mcp-json'] as const) {
      expect(assessRisk({ name: 'check_payout_status', source })).toEqual({
        level: 'high',
        reason: expect.stringContaining("MCP's `destructiveHint` defaults to true"),
        readOnlyVerb: 'check',
        misleadingReadOnly: false,
      });
    }
    expect(assessRisk(mcp('check_payout_status', { annotations: { destructiveHint: false } })).level).toBe('medium');
    expect(assessRisk(mcp('check_payout_status', { annotations: { readOnlyHint: true } }))).toMatchObject({
      level: 'low',
      misleadingReadOnly: false,
    });
  });
});
