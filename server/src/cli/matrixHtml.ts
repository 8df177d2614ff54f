import type { AccessMatrix } from '../core/simulation';
import { matrixRow, matrixSummary, type MatrixRow } from './matrixRows';

/** Text for HTML content and attribute values alike: every character that can end either escaped. */
export function html(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; background: #fff; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
p.summary { margin: 0 0 1rem; color: #444; }
.filters { display: flex; gap: .8rem; flex-wrap: wrap; margin-bottom: .8rem; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: #555; }
.filters input, .filters select { font: inherit; padding: .2rem .3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.allow { background: #dafbe1; } td.deny { background: #ffebe9; } td.depends { background: #fff8c5; }
.risk-high { color: #a40e26; font-weight: 600; } .risk-medium { color: #7d4e00; } .risk-low { color: #116329; }
code { font: 12px ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
.where { color: #57606a; font-size: 12px; }
.unlisted { color: #57606a; font-style: italic; }
tr.hidden { display: none; }
`;

/** Filters rows by the values each row carries in `data-*` attributes; values never reach code, only comparisons. */
const SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('tbody tr'));
  var controls = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var count = document.getElementById('shown');
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = controls.every(function (c) {
        var want = c.value.trim().toLowerCase();
        if (!want) return true;
        var have = (row.getAttribute('data-' + c.getAttribute('data-filter')) || '').toLowerCase();
        return c.tagName === 'SELECT' ? have.split(' ').indexOf(want) >= 0 : have.indexOf(want) >= 0;
      });
      row.classList.toggle('hidden', !ok);
      if (ok) shown++;
    });
    count.textContent = String(shown);
  }
  controls.forEach(function (c) { c.addEventListener('input', apply); });
  apply();
})();
`;

function decisionCell(outcome: string, policies: string, condition: string): string {
  const parts = [`<strong>${html(outcome)}</strong>`];
  if (policies) parts.push(`<div class="where">${html(policies)}</div>`);
  if (condition) parts.push(`<div><code>${html(condition)}</code></div>`);
  return `<td class="${html(outcome)}">${parts.join('')}</td>`;
}

function rowHtml(r: MatrixRow): string {
  const attrs = {
    agent: r.agent,
    tool: r.tool,
    risk: r.risk,
    // Either decision: "deny" finds rows denied with or without an approval.
    decision: `${r.decision} ${r.withApproval}`,
  };
  const data = Object.entries(attrs)
    .map(([k, v]) => `data-${k}="${html(v)}"`)
    .join(' ');
  return [
    `<tr ${data}>`,
    `<td><code>${html(r.agent)}</code><div class="where">${html(r.binding)}</div></td>`,
    `<td><code>${html(r.tool)}</code>${r.listed ? '' : ' <span class="unlisted">not listed</span>'}<div class="where">${html(r.definition)}</div></td>`,
    `<td><span class="risk-${html(r.risk)}">${html(r.risk)}</span><div class="where">${html(r.riskReason)}</div></td>`,
    decisionCell(r.decision, r.policies, r.condition),
    decisionCell(r.withApproval, r.withApprovalPolicies, r.withApprovalCondition),
    `<td><code>${html(r.identity)}</code></td>`,
    `<td><code>${html(r.audit)}</code></td>`,
    '</tr>',
  ].join('');
}

/**
 * ONE self-contained page for a review: inline CSS, a little inline script to filter by agent,
 * tool, risk and decision, nothing fetched. Every value from the workspace is HTML-escaped, in
 * content and attributes alike; the script reads them only as attribute strings to compare.
 */
export function matrixHtml(m: AccessMatrix, display: (p: string) => string, title = 'Access matrix'): string {
  const rows = m.cells.map((c) => matrixRow(c, display));
  const gaps = m.gaps.map(
    (g) =>
      `<li><code>${html(g.agent)}</code>${g.tool ? ` → <code>${html(g.tool)}</code>` : ''}: ${html(g.reason)} <span class="where">${html(`${display(g.link.file)}:${g.link.range.start.line + 1}`)}</span></li>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${html(title)}</h1>
<p class="summary">${html(matrixSummary(m))} Showing <span id="shown">${rows.length}</span>.</p>
<div class="filters">
<label>Agent <input data-filter="agent" type="search" placeholder="any"></label>
<label>Tool <input data-filter="tool" type="search" placeholder="any"></label>
<label>Risk <select data-filter="risk"><option value="">any</option><option>high</option><option>medium</option><option>low</option></select></label>
<label>Decision <select data-filter="decision"><option value="">any</option><option>allow</option><option>deny</option><option>depends</option></select></label>
</div>
<table>
<thead><tr><th>Agent</th><th>Tool</th><th>Risk</th><th>Without approval</th><th>With approval</th><th>Identity</th><th>Audit</th></tr></thead>
<tbody>
${rows.map(rowHtml).join('\n')}
</tbody>
</table>
${gaps.length ? `<h2>Not decided</h2>\n<ul>\n${gaps.join('\n')}\n</ul>` : ''}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
