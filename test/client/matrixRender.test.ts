import { describe, expect, it } from 'vitest';
import { matrixPage } from '../../client/src/matrix/page';
import { escapeHtml, renderMatrix, summaryText } from '../../client/src/matrix/render';
import { MATRIX_SCRIPT } from '../../client/src/matrix/script';
import { matrixItems } from '../../server/src/lsp/handlers/matrix';
import type { AccessMatrixResult, MatrixCellItem } from '../../server/src/protocol';
import { workspace } from '../core/helpers';

/*
 * The access matrix's webview fragments: every click target is an index into `links` leading to
 * the right place, and whatever a workspace names its agents, tools, policies, identities or
 * audit sinks, the fragments hold only the markup the renderer writes.
 */

const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 5 } });

function cell(over: Partial<MatrixCellItem> = {}): MatrixCellItem {
  return {
    agent: 'billing-assistant',
    tool: 'create_refund',
    server: 'payments',
    risk: { level: 'high', reason: 'name contains "refund"' },
    identity: 'workload spiffe://acme/billing',
    credentials: ['payments-api: jit-token 15m'],
    audit: 'otel://collector:4317',
    listed: true,
    without: {
      outcome: 'depends',
      residual: 'allowed when context.input.amount <= 500, unless context.input.amount > 500',
      policies: [
        { id: 'small-refunds', effect: 'permit', uri: 'file:///ws/p.cedar', range: range(3) },
        { id: 'big-refunds', effect: 'forbid', uri: 'file:///ws/p.cedar', range: range(9) },
      ],
    },
    withApproval: {
      outcome: 'allow',
      policies: [{ id: 'approved', effect: 'permit', uri: 'file:///ws/q.cedar', range: range(1) }],
    },
    binding: { uri: 'file:///ws/billing.agent.yaml', range: range(14) },
    definition: { uri: 'file:///ws/tools.json', range: range(7) },
    ...over,
  };
}

const matrix = (cells: MatrixCellItem[], gaps: AccessMatrixResult['gaps'] = []): AccessMatrixResult => ({
  all: false,
  cells,
  gaps,
  requests: cells.length * 2,
  ms: 1,
});

/** The link a `data-link` attribute inside the element matching `re` (first group: the index) points to. */
function linkIn(html: string, re: RegExp, links: { uri: string }[]) {
  const m = re.exec(html);
  if (!m) throw new Error(`${re} not in ${html}`);
  return links[Number(m[1])];
}

const TAGS = new Set(['tr', 'td', 'span', 'div', 'code', 'a', 'option', 'li', 'wbr']);
const ATTRS = /^(class|title|href|tabindex|value|data-(link|agent|tool|risk|decision))$/;

/** Every tag and attribute in a fragment: only the renderer's own, with no raw `<`, `>` or quote in any text or value. */
function markupProblems(html: string): string[] {
  const problems: string[] = [];
  const text = html.replace(
    /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:="[^"<>]*")?)*)\s*>/g,
    (_, _close, tag: string, attrs: string) => {
      if (!TAGS.has(tag)) problems.push(`tag <${tag}>`);
      for (const a of attrs.matchAll(/\s+([\w-]+)(?:="([^"]*)")?/g)) {
        if (!ATTRS.test(a[1])) problems.push(`attribute ${a[1]} on <${tag}>`);
        if (a[2] && /['`]/.test(a[2])) problems.push(`quote in ${a[1]}="${a[2]}"`);
      }
      return '';
    },
  );
  if (/[<>"'`]/.test(text)) problems.push(`markup characters left in text: ${text.match(/.{0,20}[<>"'`].{0,20}/)?.[0]}`);
  return problems;
}

describe('the access matrix webview', () => {
  it('a row per cell: the agent cell opens the binding entry, the tool cell the definition, a decision cell its first policy', () => {
    const r = renderMatrix(matrix([cell()]));
    expect(r.rows.match(/<tr /g)).toHaveLength(1);
    expect(r.rows).toContain(
      'data-agent="billing-assistant" data-tool="payments/create_refund" data-risk="high" data-decision="depends allow"',
    );
    expect(linkIn(r.rows, /<td class="agent link" data-link="(\d+)"/, r.links)).toEqual(cell().binding);
    expect(linkIn(r.rows, /<td class="tool link" data-link="(\d+)"/, r.links)).toEqual(cell().definition);
    expect(linkIn(r.rows, /<td class="decision without depends link" data-link="(\d+)"/, r.links)).toEqual({
      uri: 'file:///ws/p.cedar',
      range: range(3),
    });
    expect(linkIn(r.rows, /<td class="decision approved allow link" data-link="(\d+)"/, r.links)).toEqual({
      uri: 'file:///ws/q.cedar',
      range: range(1),
    });
    // Each policy id is its own link; where the approval changes them, those are listed too.
    expect(linkIn(r.rows, /data-link="(\d+)"[^>]*>big-refunds</, r.links)).toEqual({
      uri: 'file:///ws/p.cedar',
      range: range(9),
    });
    expect(r.rows).toMatch(/with approval:<\/span> <a [^>]*>approved<\/a>/);
    expect(r.rows).toContain('<code>allowed when context.input.amount &#60;= 500, unless context.input.amount &#62; 500</code>');
    expect(r.agentOptions).toBe('<option value="">any</option><option value="billing-assistant">billing-assistant</option>');
    expect(r.toolOptions).toContain('<option value="payments/create_refund">');
  });

  it('a deny no policy determines is not a link, and says why; an unlisted tool says so', () => {
    const denied = cell({
      without: { outcome: 'deny', policies: [] },
      withApproval: { outcome: 'deny', policies: [] },
      listed: false,
    });
    const r = renderMatrix(matrix([denied]));
    expect(r.rows).toContain('<td class="decision without deny" title="denied: no policy permits it">');
    expect(r.rows).toContain('<span class="sub">not listed</span>');
    expect(r.links).toEqual([denied.binding, denied.definition]);
  });

  it('escapes every value a workspace writes, in text and attributes (names, residuals, identity, audit, risk, gaps)', () => {
    const evil = '<img src=x onerror=alert(1)>"\'`&';
    const hostile = cell({
      agent: `<script>alert('a')</script>${evil}`,
      tool: `</td><svg onload=alert(2)>${evil}`,
      server: `ev"il`,
      risk: { level: `high" onmouseover="alert(3)`, reason: evil },
      identity: `"><iframe src=javascript:alert(4)>`,
      credentials: [`<b onclick=alert(7)>`, evil],
      audit: `https://a.example/<svg onload=alert(5)>`,
      without: {
        outcome: 'depends',
        residual: `allowed when context.input.x == "</code><script>alert(6)</script>"`,
        undecided: evil,
        policies: [{ id: `evil</a><script>`, effect: 'permit', uri: 'file:///ws/p.cedar', range: range(0) }],
      },
    });
    const r = renderMatrix(matrix([hostile], [{ agent: evil, tool: evil, reason: evil, uri: 'file:///x', range: range(0) }]));
    for (const fragment of [r.rows, r.gaps, r.agentOptions, r.toolOptions]) expect(markupProblems(fragment)).toEqual([]);
    expect(r.rows).not.toMatch(/<(script|img|svg|iframe)/i);
    // The text is all there, only escaped.
    expect(r.rows).toContain(escapeHtml(hostile.agent));
    expect(r.rows).toContain(escapeHtml(`ev"il/${hostile.tool}`));
  });

  it('a real hostile workspace through the server handler renders with only the renderer’s markup', async () => {
    const { service } = workspace({
      'tools/evil.tools.json': JSON.stringify({
        server: 'ev"il',
        tools: [{ name: '<img src=x onerror=alert(1)>', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } }],
      }),
      'agents/evil.agent.yaml': [
        'name: "<script>alert(1)</script>"',
        'principal: Agent::"<b>x</b>"',
        'identity:',
        '  type: workload',
        '  id: "id<i>|</i>"',
        'tools:',
        '  - "ev\\"il/<img src=x onerror=alert(1)>"',
        '  - "<svg onload=alert(2)>"',
        'audit:',
        '  sink: "https://a.example/<svg onload=alert(1)>"',
        '',
      ].join('\n'),
      'policies/p.cedar':
        '@id("evil</code><script>")\npermit (principal, action, resource) when { context.input.x == "</code><script>alert(2)</script>" };\n',
    });
    for (const all of [false, true]) {
      const result = matrixItems(await service.accessMatrix({ all }));
      expect(result.cells.length).toBeGreaterThan(0);
      // Bound pairs: the entry naming no tool is a gap.
      if (!all) expect(result.gaps.map((g) => g.tool)).toEqual(['<svg onload=alert(2)>']);
      const r = renderMatrix(result);
      expect(r.rows).toContain('&#60;img src=x onerror=alert(1)&#62;');
      for (const fragment of [r.rows, r.gaps, r.agentOptions, r.toolOptions]) expect(markupProblems(fragment)).toEqual([]);
    }
  });

  it('the summary counts each decision', () => {
    const m = matrix(
      [cell(), cell({ agent: 'b', without: { outcome: 'deny', policies: [] } })],
      [{ agent: 'c', reason: 'no principal', uri: 'file:///c', range: range(0) }],
    );
    expect(summaryText(m)).toBe(
      '2 bound agent × tool pairs. Without approval: 0 allow, 1 deny, 1 depend on the input. With approval: 2 allow, 0 deny, 0 depend on the input. 1 not decided (below).',
    );
  });

  it('the page: a strict CSP with a nonce, its one script and style carry it, nothing remote', () => {
    const page = matrixPage('N0nce+/=', 'https://x.vscode-cdn.net');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-N0nce+/='");
    expect(csp).not.toContain('unsafe');
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('<script nonce="N0nce+/=">');
    expect(page).toContain('<style nonce="N0nce+/=">');
    expect(page.replace(/https:\/\/x\.vscode-cdn\.net/g, '')).not.toMatch(/https?:\/\//);
    // Values are placed only as the extension escaped them; the script compares attributes, never evaluates.
    expect(MATRIX_SCRIPT).not.toMatch(/\beval\(|new Function|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
