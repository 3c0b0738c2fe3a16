// Overview: the fleet in numbers.
(function () {
  'use strict';
  const h = TP.h;
  TP.main.replaceChildren(h('h1', {text: 'Overview'}), h('p', {class: 'subtitle', id: 'who'}), h('div', {id: 'tiles', class: 'tiles'}));

  function tile(label, value, detail, href) {
    const body = [h('div', {class: 'label', text: label}), h('div', {class: 'value', text: value}),
      detail ? h('div', {class: 'detail'}, detail) : null];
    return href ? h('a', {class: 'tile', href: href}, body) : h('div', {class: 'tile'}, body);
  }

  TP.live('overview', {}, function (o) {
    TP.fill('who', 'Answered by node ' + o.node + (o.leader ? '; the leader is ' + o.leader : '; no leader is known now')
      + '. Store revision ' + TP.num(o.revision, 0) + '.');
    const fill = o.capacityCu > 0 ? o.allocatedCu / o.capacityCu : 0;
    const phases = Object.entries(o.endpointsByPhase).filter(([, n]) => n > 0)
      .map(([phase, n]) => h('span', {}, TP.badge(phase), ' ' + TP.num(n, 0) + ' '));
    TP.fill('tiles',
      tile('Endpoints', TP.num(o.endpoints, 0), phases, '/console/endpoints'),
      tile('Hosts', TP.num(o.hostsReady, 0) + ' / ' + TP.num(o.hosts, 0), 'ready / registered', '/console/hosts'),
      tile('Allocated', TP.num(o.allocatedCu) + ' CU', [TP.fillBar(fill), TP.num(fill * 100, 1) + '% of ' + TP.num(o.capacityCu) + ' CU'], '/console/cells'),
      tile('Cells', TP.num(o.cells, 0), 'failure-isolation pools', '/console/cells'),
      tile('Migrations under way', TP.num(o.migrationsUnderWay, 0), 'hosts above their watermark shed computes', '/console/moves'),
      tile('Restarts under way', TP.num(o.restartsUnderWay, 0), 'replacements warming for a planned restart', '/console/moves'));
  });
})();
