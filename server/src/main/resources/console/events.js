// Events: what happened to objects, newest first, a page at a time.
(function () {
  'use strict';
  const h = TP.h;
  const params = TP.params();
  const state = {q: params.q || '', offset: +(params.offset || 0)};

  TP.main.replaceChildren(h('h1', {text: 'Events'}),
    h('div', {class: 'controls'}, TP.searchBox('search objects, reasons, messages', state.q, (q) => { state.q = q; state.offset = 0; open(); }),
      h('span', {class: 'count', id: 'count'})),
    h('div', {id: 'events'}), h('div', {id: 'pager'}));

  function open() {
    TP.setParams(state);
    TP.live('events', state, render);
  }

  function render(view) {
    TP.fill('count', TP.num(view.total, 0) + ' events');
    TP.fill('events', TP.table(['last seen', 'type', 'object', 'reason', 'message', 'count'], view.items.map((e) => [
      h('td', {text: TP.dateTime(e.lastTimestamp)}), h('td', {}, TP.badge(e.type, e.type === 'Warning' ? 'bad' : 'ok')),
      h('td', {class: 'mono', text: e.involved}), h('td', {text: e.reason}), h('td', {class: 'why', text: e.message}),
      h('td', {class: 'num', text: String(e.count)})])));
    TP.fill('pager', TP.pager(view, (offset) => { state.offset = offset; open(); }));
  }

  open();
})();
