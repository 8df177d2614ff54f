// The simulation result as HTML for its webview: pure (no `vscode` import), so tests can read it.
// Every value is escaped; colours are the theme's (`--vscode-*`), so it reads in light and dark.
import type {
  SimulationAnswerItem,
  SimulationInputErrorItem,
  SimulationLink,
  SimulationRequestParams,
} from '../../../server/src/protocol';

/** One simulation as the panel shows it. */
export interface ResultView {
  request: SimulationRequestParams;
  result: SimulationAnswerItem | SimulationInputErrorItem;
  /** Where a link points, as a person reads it (`policies/billing.cedar:4`). */
  where(link: SimulationLink): string;
  /** What the last "Save as test…" said. */
  saved?: { message: string; passed: boolean };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML content and in quoted attribute values. */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A link the page's script turns into an `open` message (the data is escaped JSON). */
function linkHtml(link: SimulationLink, label: string, where: string): string {
  const data = esc(JSON.stringify({ uri: link.uri, range: link.range }));
  return `<a href="#" class="source" data-link="${data}" title="Open ${esc(where)}">${esc(label)}</a> <span class="where">${esc(where)}</span>`;
}

function section(title: string, body: string, cls = ''): string {
  return `<section class="${cls}"><h2>${esc(title)}</h2>${body}</section>`;
}

function requestTable(view: ResultView): string {
  const r = view.result;
  const rows: [string, string][] = r.ok
    ? [
        ['principal', r.request.principal],
        ['action', r.request.action],
        ['resource', r.request.resource],
      ]
    : [
        ['principal', view.request.principal],
        ['action', view.request.action],
        ['resource', view.request.resource ?? "(the tool's server)"],
      ];
  const context = r.ok ? r.request.context : (view.request.context ?? '{}');
  return section(
    'Request',
    `<table class="request">${rows.map(([k, v]) => `<tr><th>${k}</th><td><code>${esc(v)}</code></td></tr>`).join('')}` +
      `<tr><th>context</th><td><pre>${esc(context)}</pre></td></tr></table>`,
  );
}

function who(view: ResultView): string {
  const r = view.result;
  if (!r.ok) return `${esc(view.request.principal)} → ${esc(view.request.action)}`;
  const agent = r.agent ? linkHtml(r.agent, r.agent.name, view.where(r.agent)) : `<code>${esc(r.request.principal)}</code>`;
  const toolName = r.tool ? (r.tool.server ? `${r.tool.server}/${r.tool.name}` : r.tool.name) : '';
  const tool = r.tool ? linkHtml(r.tool, toolName, view.where(r.tool)) : `<code>${esc(r.request.action)}</code>`;
  return `agent ${agent}<br>calls ${tool}`;
}

function answerBody(view: ResultView, r: SimulationAnswerItem): string {
  const parts: string[] = [];
  const determining = r.determining.length
    ? `<ul>${r.determining.map((p) => `<li><span class="effect ${p.effect}">${p.effect}</span> ${linkHtml(p, p.id, view.where(p))}</li>`).join('')}</ul>`
    : `<p class="none">${r.decision === 'deny' ? 'None: no permit applies, so Cedar denies by default.' : 'None.'}</p>`;
  if (r.decision) parts.push(section('Determining policies', determining));
  if (r.errors.length)
    parts.push(
      section(
        'Evaluation errors (Cedar skipped these policies)',
        `<ul>${r.errors
          .map(
            (e) =>
              `<li>${e.policy ? linkHtml(e.policy, e.policyId, view.where(e.policy)) : `<code>${esc(e.policyId)}</code>`}<div class="message">${esc(e.message)}</div></li>`,
          )
          .join('')}</ul>`,
        'errors',
      ),
    );
  if (r.failures.length)
    parts.push(
      section(
        'Cedar could not decide',
        `<ul>${r.failures.map((f) => `<li class="message">${esc(f)}</li>`).join('')}</ul>`,
        'errors',
      ),
    );
  return parts.join('');
}

/** The decision word, its class (`allow`, `deny`, `undecided`, `invalid`) and the line under it. */
function headline(r: ResultView['result']): { word: string; cls: string; meta: string } {
  if (!r.ok) return { word: 'NOT SIMULATED', cls: 'invalid', meta: `The ${r.error.field} cannot be used.` };
  const validated = r.validated ? 'request validated against the schema' : 'no schema: the request was not validated';
  const meta = `${r.ms} ms · ${validated}`;
  if (!r.decision) return { word: 'NOT DECIDED', cls: 'undecided', meta };
  return { word: r.decision.toUpperCase(), cls: r.decision, meta };
}

const STYLE = `
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
    background: var(--vscode-editor-background); padding: 12px 20px; line-height: 1.45; }
  .decision { --tone: var(--vscode-foreground); font-size: 2.4em; font-weight: 700; letter-spacing: 0.04em; color: var(--tone);
    border-left: 6px solid var(--tone); padding: 4px 14px; margin: 4px 0 8px;
    background: color-mix(in srgb, var(--tone) 12%, transparent); }
  .decision.allow { --tone: var(--vscode-testing-iconPassed, #388a34); }
  .decision.deny { --tone: var(--vscode-testing-iconFailed, #e51400); }
  .decision.undecided, .decision.invalid { --tone: var(--vscode-editorWarning-foreground, #bf8803); }
  .who { font-size: 1.15em; margin: 6px 0; }
  .meta, .where, .none { color: var(--vscode-descriptionForeground); }
  .where { font-size: 0.92em; margin-left: 4px; overflow-wrap: anywhere; }
  h2 { font-size: 1em; text-transform: uppercase; letter-spacing: 0.06em; color: var(--vscode-descriptionForeground);
    border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); padding-bottom: 3px; margin-top: 18px; }
  ul { padding-left: 18px; margin: 6px 0; } li { margin: 4px 0; }
  a { color: var(--vscode-textLink-foreground); text-decoration: none; } a:hover { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
  a:focus { outline: 1px solid var(--vscode-focusBorder); }
  .effect { display: inline-block; min-width: 4.5em; font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
  .effect.permit { color: var(--vscode-testing-iconPassed, #388a34); } .effect.forbid { color: var(--vscode-testing-iconFailed, #e51400); }
  .errors .message, .error-message { color: var(--vscode-errorForeground); white-space: pre-wrap; }
  code, pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
  pre { margin: 0; white-space: pre-wrap; word-break: break-word; background: var(--vscode-textCodeBlock-background); padding: 6px 8px; border-radius: 3px; }
  table.request { border-collapse: collapse; width: 100%; } table.request th { text-align: left; vertical-align: top; padding: 3px 12px 3px 0;
    color: var(--vscode-descriptionForeground); font-weight: normal; width: 6em; } table.request td { padding: 3px 0; overflow-wrap: anywhere; }
  .actions { margin: 12px 0 4px; display: flex; gap: 8px; flex-wrap: wrap; }
  button { font-family: inherit; font-size: inherit; border: 1px solid var(--vscode-button-border, transparent); padding: 5px 14px; cursor: pointer;
    color: var(--vscode-button-foreground); background: var(--vscode-button-background); border-radius: 2px; }
  button:hover { background: var(--vscode-button-hoverBackground); } button:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
  button:disabled { opacity: 0.5; cursor: default; }
  .saved { margin-top: 10px; padding: 6px 10px; border-left: 3px solid var(--vscode-testing-iconPassed, #388a34); }
  .saved.failing { border-left-color: var(--vscode-editorWarning-foreground, #bf8803); }
`;

const SCRIPT = `
  const vscode = acquireVsCodeApi();
  for (const a of document.querySelectorAll('a.source')) {
    a.addEventListener('click', (e) => { e.preventDefault(); vscode.postMessage({ type: 'open', ...JSON.parse(a.dataset.link) }); });
  }
  for (const [id, type] of [['rerun', 'rerun'], ['save', 'saveAsTest'], ['edit', 'editContext']]) {
    document.getElementById(id)?.addEventListener('click', () => vscode.postMessage({ type }));
  }
`;

/**
 * The page: the decision big and coloured, who calls what, the time; the determining policies and
 * erroring policies as links to their source, Cedar's failures, the request; Re-run, Save as
 * test…, Edit context. Strict CSP: nothing remote, only this page's own style and script (nonce).
 */
export function resultHtml(view: ResultView, nonce: string, cspSource: string): string {
  const r = view.result;
  const head = headline(r);
  const body = r.ok
    ? answerBody(view, r)
    : section(
        'What is wrong',
        `<p class="error-message">${esc(r.error.message)}</p>${r.error.suggestion ? `<p>Closest: <code>${esc(r.error.suggestion)}</code></p>` : ''}`,
        'errors',
      );
  const saved = view.saved ? `<div class="saved${view.saved.passed ? '' : ' failing'}">${esc(view.saved.message)}</div>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${esc(cspSource)}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Simulation result</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<div class="decision ${head.cls}" role="status">${esc(head.word)}</div>
<div class="who">${who(view)}</div>
<div class="meta">${esc(head.meta)}</div>
<div class="actions">
  <button id="rerun" title="Decide the same request again with the current files">Re-run</button>
  <button id="save" class="secondary" title="Append this request, expecting this answer, to a request test file"${r.ok && r.decision ? '' : ' disabled'}>Save as test…</button>
  <button id="edit" class="secondary" title="Change the context and run again">Edit context</button>
</div>
${saved}
${body}
${requestTable(view)}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
