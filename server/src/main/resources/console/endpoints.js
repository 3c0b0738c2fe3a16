// Endpoints: paged, searched by part of the name, filtered by cell and phase, live.
(function () {
  'use strict';
  const h = TP.h;
  const params = TP.params();
  const state = {q: params.q || '', cell: params.cell || '', phase: params.phase || '', offset: +(params.offset || 0)};
  let filters = null;

  TP.main.replaceChildren(h('h1', {text: 'Endpoints'}), h('div', {id: 'controls', class: 'controls'}), h('div', {id: 'endpoints'}), h('div', {id: 'pager'}));

  function open() {
    TP.setParams(state);
    TP.live('endpoints', state, render);
  }

  function controls(view) {
    TP.fill('controls',
      TP.searchBox('search endpoint names', state.q, (q) => { state.q = q; state.offset = 0; open(); }),
      TP.select('cells', view.cells, state.cell, (cell) => { state.cell = cell; state.offset = 0; open(); }),
      TP.select('phases', view.phases, state.phase, (phase) => { state.phase = phase; state.offset = 0; open(); }),
      h('span', {class: 'count', id: 'count'}));
  }

  function render(view) {
    const known = JSON.stringify([view.cells, view.phases]);
    if (known !== filters) {
      filters = known;
      controls(view);
    }
    TP.fill('count', TP.num(view.total, 0) + (state.q || state.cell || state.phase ? ' matching' : ' endpoints'));
    TP.fill('endpoints', TP.table(['endpoint', 'cell', 'phase', 'host', 'CU', 'min – max', 'Postgres', 'latest scaling decision'],
      view.items.map((e) => [
        h('td', {}, TP.endpointLink(e.name)), h('td', {text: e.cell}), h('td', {}, TP.badge(e.phase)),
        h('td', {class: 'mono', text: e.host || '–'}), h('td', {class: 'num', text: TP.num(e.cu)}),
        h('td', {class: 'num', text: TP.num(e.minCu) + ' – ' + TP.num(e.maxCu)}), h('td', {text: e.postgres}),
        h('td', {class: 'why', title: e.lastDecision || ''}, e.lastDecision ? [TP.ago(e.lastDecisionAt) + ': ', e.lastDecision] : '–')]),
      (i) => ({data: {endpoint: view.items[i].name}})));
    TP.fill('pager', TP.pager(view, (offset) => { state.offset = offset; open(); }));
  }

  open();
})();
