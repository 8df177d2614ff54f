import { MATRIX_SCRIPT } from './script';

/**
 * Theme colours only (`--vscode-*`), so the page reads in light, dark and high-contrast themes;
 * outcomes and risks are a tinted badge with the theme's own text colour, never colour alone.
 */
const STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 16px; }
h1 { font-size: 1.35em; font-weight: 600; margin: 14px 0 4px; }
#summary { margin: 0 0 10px; color: var(--vscode-descriptionForeground); }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; margin-bottom: 10px; }
.toolbar label, .group-label { color: var(--vscode-descriptionForeground); }
.group { display: inline-flex; gap: 4px; align-items: center; }
select { color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border, transparent); padding: 2px 4px; font: inherit; max-width: 16em; }
button { font: inherit; cursor: pointer; border-radius: 2px; padding: 2px 8px; border: 1px solid var(--vscode-button-border, transparent); }
button.chip { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.chip:hover { background: var(--vscode-button-secondaryHoverBackground); }
button.chip[aria-pressed="true"] { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
button#clear { color: var(--vscode-textLink-foreground); background: transparent; }
button#clear:disabled { color: var(--vscode-disabledForeground); cursor: default; }
:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
#shown, #status { color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); padding: 4px 6px; vertical-align: top; text-align: left; }
th { position: sticky; top: 0; z-index: 1; background: var(--vscode-editorWidget-background); font-weight: 600; }
/* As narrow as their names and badges: the width left goes to the conditions, policies and identities. */
th.narrow { width: 1%; }
tbody tr:hover td { background: var(--vscode-list-hoverBackground); }
td.link { cursor: pointer; }
td.agent, td.tool { font-family: var(--vscode-editor-font-family); } td.agent { white-space: nowrap; }
td.decision { white-space: nowrap; } td.decision .sub { white-space: normal; }
/* Conditions keep a readable width; identities and sinks wrap after their separators (render.ts), never letter by letter; a narrow panel scrolls sideways. */
th.condition { width: 25%; } th.policies { width: 14%; } th.identity { width: 17%; } th.audit { width: 12%; } th.risk { width: 11%; }
td.condition { min-width: 14em; } td.policies { min-width: 9em; } td.identity { min-width: 11em; } td.audit { min-width: 8em; }
td.identity, td.audit, td.policies { overflow-wrap: anywhere; }
td.link:hover, a { color: var(--vscode-textLink-foreground); }
td.agent.link:hover, td.tool.link:hover { text-decoration: underline; }
a { text-decoration: none; } a:hover { text-decoration: underline; color: var(--vscode-textLink-activeForeground); }
code { font-family: var(--vscode-editor-font-family); font-size: 0.95em; background: var(--vscode-textCodeBlock-background); padding: 0 3px; border-radius: 3px; white-space: pre-wrap; overflow-wrap: anywhere; }
.sub, .label, td.audit.missing { color: var(--vscode-descriptionForeground); font-size: 0.92em; }
td.audit.missing { font-style: italic; }
.outcome, span.risk { display: inline-block; padding: 0 6px; border-radius: 9px; border: 1px solid; white-space: nowrap; color: var(--vscode-foreground); }
.outcome.allow { border-color: var(--vscode-testing-iconPassed); background: color-mix(in srgb, var(--vscode-testing-iconPassed) 22%, transparent); }
.outcome.deny { border-color: var(--vscode-testing-iconFailed); background: color-mix(in srgb, var(--vscode-testing-iconFailed) 22%, transparent); }
.outcome.depends { border-color: var(--vscode-editorWarning-foreground); background: color-mix(in srgb, var(--vscode-editorWarning-foreground) 22%, transparent); }
td.decision.link:hover .outcome { text-decoration: underline; }
span.risk.high { border-color: var(--vscode-charts-red); background: color-mix(in srgb, var(--vscode-charts-red) 22%, transparent); font-weight: 600; }
span.risk.medium { border-color: var(--vscode-charts-yellow); background: color-mix(in srgb, var(--vscode-charts-yellow) 22%, transparent); }
span.risk.low { border-color: var(--vscode-charts-green); background: color-mix(in srgb, var(--vscode-charts-green) 22%, transparent); }
#gaps-section h2 { font-size: 1.1em; margin: 18px 0 6px; }
body.loading #matrix { display: none; }
`;

/**
 * The webview's page: strict CSP (nothing remote, no inline code but the nonce's), the table's
 * frame and its controls. The rows come by message (`render.ts`), so a refresh keeps the filters
 * and the scroll position.
 */
export function matrixPage(nonce: string, cspSource: string): string {
  const chip = (filter: string, value: string, label = value) =>
    `<button type="button" class="chip" data-filter="${filter}" data-value="${value}" aria-pressed="false">${label}</button>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Access Matrix</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body class="loading">
<h1>Access matrix</h1>
<p id="summary">Deciding every agent × tool…</p>
<div class="toolbar">
  <label>Agent <select id="f-agent" aria-label="Filter by agent"><option value="">any</option></select></label>
  <label>Tool <select id="f-tool" aria-label="Filter by tool"><option value="">any</option></select></label>
  <span class="group" role="group" aria-label="Filter by risk"><span class="group-label">Risk</span>${chip('risk', 'high')}${chip('risk', 'medium')}${chip('risk', 'low')}</span>
  <span class="group" role="group" aria-label="Filter by decision, without or with an approval"><span class="group-label">Decision</span>${chip('decision', 'allow')}${chip('decision', 'deny')}${chip('decision', 'depends')}</span>
  <button type="button" id="clear" disabled>Clear filters</button>
  <label title="Every agent × every tool, not only the tools each binding lists (agentgov matrix --all)"><input type="checkbox" id="all"> Every agent × every tool</label>
  <span id="shown"></span>
  <span id="status" role="status"></span>
</div>
<table id="matrix">
<thead><tr><th class="narrow">Agent</th><th class="narrow">Tool</th><th class="narrow">Without approval</th><th class="narrow">With approval</th><th class="condition">Condition on the input</th><th class="policies">Determining policies</th><th class="identity">Identity</th><th class="audit">Audit</th><th class="risk">Risk</th></tr></thead>
<tbody id="rows"></tbody>
</table>
<p id="empty" hidden>No agent is bound to a tool: identity bindings (<code>*.agent.yaml</code>) list the tools each agent may call.</p>
<p id="none-shown" hidden>No row matches the filters.</p>
<section id="gaps-section" hidden><h2>Not decided</h2><ul id="gaps"></ul></section>
<script nonce="${nonce}">${MATRIX_SCRIPT}</script>
</body>
</html>`;
}
