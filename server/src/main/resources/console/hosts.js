// Hosts: a page at a time, each with its fill, free room and the computes on it.
(function () {
  'use strict';
  const h = TP.h;
  const params = TP.params();
  const state = {q: params.q || '', cell: params.cell || '', sort: params.sort || 'name', offset: +(params.offset || 0)};
  let cells = null;

  TP.main.replaceChildren(h('h1', {text: 'Hosts'}), h('div', {id: 'controls', class: 'controls'}), h('div', {id: 'hosts'}), h('div', {id: 'pager'}));

  function open() {
    TP.setParams(state);
    TP.live('hosts', state, render);
  }

  function controls(view) {
    TP.fill('controls',
      TP.searchBox('search host names', state.q, (q) => { state.q = q; state.offset = 0; open(); }),
      TP.select('cells', view.cells, state.cell, (cell) => { state.cell = cell; state.offset = 0; open(); }),
      h('select', {'aria-label': 'order', onchange: (e) => { state.sort = e.target.value; state.offset = 0; open(); }},
        h('option', {value: 'name', text: 'by name', selected: state.sort === 'name'}),
        h('option', {value: 'fill', text: 'fullest first', selected: state.sort === 'fill'})),
      h('span', {class: 'count', id: 'count'}));
  }

  function render(view) {
    if (JSON.stringify(view.cells) !== cells) {
      cells = JSON.stringify(view.cells);
      controls(view);
    }
    TP.fill('count', TP.num(view.total, 0) + ' hosts');
    TP.fill('hosts', TP.table(['host', 'cell', 'state', 'allocated', '', 'free', 'computes'], view.items.map((card) => {
      const f = card.fill;
      return [h('td', {class: 'mono', text: f.name}), h('td', {text: f.cell}),
        h('td', {}, TP.badge(f.ready ? 'ready' : 'not ready', f.ready ? 'ok' : 'bad'), f.unschedulable ? [' ', TP.badge('cordoned', 'warn')] : null),
        h('td', {class: 'num', text: TP.num(f.allocatedCu) + ' / ' + TP.num(f.capacityCu) + ' CU'}),
        h('td', {}, TP.fillBar(f.fill, null)),
        h('td', {class: 'num', text: TP.cu(f.free)}),
        h('td', {}, h('div', {class: 'chips'}, card.computes.map((c) => h('span', {class: 'chip ' + c.role,
          title: c.role + (c.purpose ? ' (' + c.purpose + ')' : '') + ', ' + (c.phase || 'not started') + ', granted ' + TP.cu(c.cu) + ', applied ' + TP.cu(c.appliedCu)},
          h('a', {href: '/console/endpoints/' + encodeURIComponent(c.endpoint), text: c.name}), ' ' + TP.num(c.cu))),
          card.computesTotal > card.computes.length ? h('a', {class: 'chip', href: '/console/hosts?q=' + encodeURIComponent(f.name),
            text: 'all ' + card.computesTotal + ' →'}) : null))];
    }), (i) => ({data: {host: view.items[i].fill.name}})));
    TP.fill('pager', TP.pager(view, (offset) => { state.offset = offset; open(); }));
  }

  open();
})();
