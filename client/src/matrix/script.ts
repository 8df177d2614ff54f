/**
 * The access matrix webview's script (plain ES2020, run in the webview with the page's nonce).
 * It places the fragments the extension renders (`render.ts`, values escaped there), filters
 * rows by their `data-*` attributes (values are only compared, never run or parsed as markup),
 * keeps the filters in the webview state, and sends clicks back as link indexes.
 */
export const MATRIX_SCRIPT = String.raw`
(function () {
  const vscode = acquireVsCodeApi();
  const state = Object.assign({ filters: { agent: '', tool: '', risk: [], decision: [] } }, vscode.getState() || {});
  let generation = 0;
  const byId = (id) => document.getElementById(id);
  const rowsEl = byId('rows');
  const agentSel = byId('f-agent');
  const toolSel = byId('f-tool');
  const chips = Array.prototype.slice.call(document.querySelectorAll('button.chip'));

  function setOptions(select, html, value) {
    select.innerHTML = html;
    select.value = value;
    // A value the new matrix no longer has: any.
    if (select.value !== value) select.value = '';
    return select.value;
  }

  function apply() {
    const f = state.filters;
    const rows = Array.prototype.slice.call(rowsEl.querySelectorAll('tr'));
    let shown = 0;
    for (const row of rows) {
      const d = row.dataset;
      const ok =
        (!f.agent || d.agent === f.agent) &&
        (!f.tool || d.tool === f.tool) &&
        (!f.risk.length || f.risk.indexOf(d.risk) >= 0) &&
        (!f.decision.length || (d.decision || '').split(' ').some((x) => f.decision.indexOf(x) >= 0));
      row.hidden = !ok;
      if (ok) shown++;
    }
    for (const chip of chips) {
      const on = f[chip.dataset.filter].indexOf(chip.dataset.value) >= 0;
      chip.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    const filtered = f.agent || f.tool || f.risk.length || f.decision.length;
    byId('clear').disabled = !filtered;
    byId('shown').textContent = rows.length ? 'Showing ' + shown + ' of ' + rows.length : '';
    byId('none-shown').hidden = shown > 0 || rows.length === 0;
    vscode.setState(state);
    vscode.postMessage({ type: 'shown', generation: generation, shown: shown, total: rows.length, filters: f });
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || typeof m.type !== 'string') return;
    if (m.type === 'matrix') {
      generation = m.generation;
      rowsEl.innerHTML = m.rows;
      byId('gaps').innerHTML = m.gaps;
      byId('gaps-section').hidden = !m.gaps;
      byId('summary').textContent = m.summary;
      byId('empty').hidden = !!m.rows;
      byId('all').checked = !!m.all;
      byId('status').textContent = '';
      state.filters.agent = setOptions(agentSel, m.agentOptions, state.filters.agent);
      state.filters.tool = setOptions(toolSel, m.toolOptions, state.filters.tool);
      document.body.classList.remove('loading');
      apply();
    } else if (m.type === 'updating') {
      byId('status').textContent = 'Updating…';
    } else if (m.type === 'failed') {
      byId('status').textContent = String(m.message);
    }
  });

  agentSel.addEventListener('change', () => {
    state.filters.agent = agentSel.value;
    apply();
  });
  toolSel.addEventListener('change', () => {
    state.filters.tool = toolSel.value;
    apply();
  });
  for (const chip of chips) {
    chip.addEventListener('click', () => {
      const list = state.filters[chip.dataset.filter];
      const i = list.indexOf(chip.dataset.value);
      if (i >= 0) list.splice(i, 1);
      else list.push(chip.dataset.value);
      apply();
    });
  }
  byId('clear').addEventListener('click', () => {
    state.filters = { agent: '', tool: '', risk: [], decision: [] };
    agentSel.value = '';
    toolSel.value = '';
    apply();
  });
  byId('all').addEventListener('change', (event) => {
    vscode.postMessage({ type: 'all', all: event.target.checked });
  });

  function open(target) {
    const el = target && target.closest ? target.closest('[data-link]') : null;
    if (!el) return false;
    vscode.postMessage({ type: 'open', link: Number(el.dataset.link), generation: generation });
    return true;
  }
  document.addEventListener('click', (event) => {
    if (open(event.target)) event.preventDefault();
  });
  document.addEventListener('keydown', (event) => {
    const t = event.target;
    if ((event.key === 'Enter' || event.key === ' ') && t && t.matches && t.matches('[data-link]')) {
      event.preventDefault();
      open(t);
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
`;
