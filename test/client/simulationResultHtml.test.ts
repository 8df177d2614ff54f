import { describe, expect, it } from 'vitest';
import { resultHtml, type ResultView } from '../../client/src/simulation/resultHtml';
import type { SimulationAnswerItem } from '../../server/src/protocol';

/*
 * The simulation result page: the decision and its links are there, a value a workspace writes
 * (policy ids, messages, contexts) never becomes markup, and the page loads nothing but its own
 * nonce'd style and script.
 */

const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 6 } });
const request = { principal: 'billing-assistant', action: 'payments/create_refund', context: '{"input": {}}' };

function answer(over: Partial<SimulationAnswerItem> = {}): SimulationAnswerItem {
  return {
    ok: true,
    request: {
      principal: 'Platform::Agent::"billing-assistant"',
      action: 'Platform::Action::"create_refund"',
      resource: 'Platform::McpServer::"payments"',
      context: '{\n  "input": {\n    "amount": 9007199254740993\n  }\n}',
    },
    agent: { name: 'billing-assistant', uri: 'file:///ws/agents/billing.agent.yaml', range: range(1) },
    tool: { name: 'create_refund', server: 'payments', uri: 'file:///ws/tools/server.ts', range: range(30) },
    decision: 'deny',
    determining: [{ id: 'refunds-above-limit', effect: 'forbid', uri: 'file:///ws/policies/billing.cedar', range: range(19) }],
    errors: [],
    failures: [],
    validated: true,
    ms: 3.2,
    ...over,
  };
}

const view = (result: ResultView['result'], extra: Partial<ResultView> = {}): ResultView => ({
  request,
  result,
  where: (l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line + 1}`,
  ...extra,
});

/** The text of the elements with this class, tags stripped. */
const textOf = (html: string, cls: string) =>
  [...html.matchAll(new RegExp(`<div class="${cls}[^"]*"[^>]*>([\\s\\S]*?)</div>`, 'g'))].map((m) =>
    m[1].replace(/<[^>]+>/g, ''),
  );

describe('simulation result page', () => {
  it('shows the decision, who calls what, the time, the determining policy as a link to its source', () => {
    const html = resultHtml(view(answer()), 'abc123', 'vscode-resource:');
    expect(textOf(html, 'decision')).toEqual(['DENY']);
    expect(html).toContain('<div class="decision deny" role="status">');
    expect(textOf(html, 'meta')).toEqual(['3.2 ms · request validated against the schema']);
    const link = /<a href="#" class="source" data-link="([^"]+)"[^>]*>refunds-above-limit<\/a>/.exec(html);
    expect(JSON.parse(link![1].replace(/&quot;/g, '"'))).toEqual({ uri: 'file:///ws/policies/billing.cedar', range: range(19) });
    expect(html).toContain('<span class="where">billing.cedar:20</span>');
    // The context as the server wrote it: the 64-bit integer as written.
    expect(html).toContain('&quot;amount&quot;: 9007199254740993');
    expect(html).toMatch(/<button id="save" class="secondary"[^>]*>Save as test…<\/button>/);
  });

  it('says why nothing is determining on a default deny, and lists erroring policies and Cedar failures', () => {
    const html = resultHtml(
      view(
        answer({
          determining: [],
          errors: [
            {
              policyId: 'p1',
              message: 'overflow',
              policy: { id: 'p1', effect: 'permit', uri: 'file:///ws/p.cedar', range: range(2) },
            },
          ],
        }),
      ),
      'n',
      'c',
    );
    expect(html).toContain('None: no permit applies, so Cedar denies by default.');
    expect(html).toMatch(/Evaluation errors[\s\S]*>p1<\/a>[\s\S]*overflow/);
    const undecided = resultHtml(
      view(answer({ decision: undefined, determining: [], failures: ['context is missing input'] })),
      'n',
      'c',
    );
    expect(textOf(undecided, 'decision')).toEqual(['NOT DECIDED']);
    expect(undecided).toContain('Cedar could not decide');
    expect(undecided).toMatch(/<button id="save"[^>]* disabled>/);
  });

  it('an input error says which part and the closest name', () => {
    const html = resultHtml(
      view({ ok: false, error: { field: 'principal', message: 'No agent is named "biling".', suggestion: 'billing' } }),
      'n',
      'c',
    );
    expect(textOf(html, 'decision')).toEqual(['NOT SIMULATED']);
    expect(html).toContain('No agent is named &quot;biling&quot;.');
    expect(html).toContain('Closest: <code>billing</code>');
  });

  it('escapes whatever the workspace names, and allows only its own nonce', () => {
    const evil = '<img src=x onerror="alert(1)">';
    const html = resultHtml(
      view(
        answer({
          determining: [{ id: evil, effect: 'permit', uri: `file:///ws/${evil}`, range: range(0) }],
          errors: [{ policyId: evil, message: `</script><script>alert(2)</script>` }],
          request: { principal: evil, action: evil, resource: evil, context: evil },
          agent: { name: evil, uri: 'file:///a', range: range(0) },
        }),
        { saved: { message: evil, passed: false } },
      ),
      'NONCE',
      'vscode-resource:',
    );
    expect(html).not.toContain('<img');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`script-src 'nonce-NONCE'`);
    expect(html).toContain(`default-src 'none'`);
    expect(html).not.toMatch(/https?:\/\//);
  });
});
