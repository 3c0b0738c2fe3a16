// Moves: migrations under way and recent, and planned restarts under way, each with why.
(function () {
  'use strict';
  const h = TP.h;
  TP.main.replaceChildren(h('h1', {text: 'Migrations and restarts'}),
    h('p', {class: 'subtitle', text: 'A host above its watermark sheds computes to others by switching each to a warm replacement; a planned restart does the same on its restart window.'}),
    h('div', {id: 'note'}),
    h('h2', {text: 'Migrations under way'}), h('div', {id: 'active'}),
    h('h2', {text: 'Restarts under way'}), h('div', {id: 'restarts'}),
    h('h2', {text: 'Finished migrations'}), h('div', {id: 'finished'}));

  function migrationRows(list) {
    return list.map((m) => {
      const s = m.status || {};
      return [h('td', {}, TP.endpointLink(m.spec.endpoint)),
        h('td', {class: 'mono', text: m.spec.compute + ' → ' + m.spec.replacement}),
        h('td', {class: 'mono', text: m.spec.sourceHost + ' → ' + m.spec.targetHost}),
        h('td', {}, TP.badge(s.phase || 'Pending')),
        h('td', {text: TP.time(s.startedAt)}),
        h('td', {class: 'num', text: s.finishedAt && s.startedAt ? ((new Date(s.finishedAt) - new Date(s.startedAt)) / 1000).toFixed(1) + ' s' : TP.ago(s.startedAt)}),
        h('td', {class: 'why', text: s.message || m.spec.reason || ''})];
    });
  }

  const migrationColumns = ['endpoint', 'compute → replacement', 'from → to', 'phase', 'started', 'took', 'why'];

  TP.live('moves', {}, function (view) {
    TP.fill('note', TP.note(view.note));
    TP.fill('active', TP.table(migrationColumns, migrationRows(view.active), (i) => ({data: {migration: view.active[i].metadata.name}})));
    TP.fill('finished', TP.table(migrationColumns, migrationRows(view.finished), (i) => ({data: {migration: view.finished[i].metadata.name}})));
    TP.fill('restarts', TP.table(['endpoint', 'replacement', 'on', 'phase', 'Postgres', 'why'], view.restarts.map((r) => [
      h('td', {}, TP.endpointLink(r.endpoint)), h('td', {class: 'mono', text: r.replacement.name}),
      h('td', {class: 'mono', text: r.replacement.host || '–'}), h('td', {}, TP.badge(r.replacement.phase || 'Pending')),
      h('td', {text: r.computes.map((c) => c.name + ' ' + c.role).join(', ')}),
      h('td', {class: 'why', text: r.explanation || ''})])));
  });
})();
