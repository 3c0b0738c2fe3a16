// Cells: each cell's capacity, buffer, provider and conditions, and every host's fill against the watermark.
(function () {
  'use strict';
  const h = TP.h;
  TP.main.replaceChildren(h('h1', {text: 'Cells'}),
    h('p', {class: 'subtitle', text: 'Each host\'s allocated CU against its capacity; the tick is the cell\'s watermark, above which the host sheds computes by migration.'}),
    h('div', {id: 'note'}), h('div', {id: 'cells'}));

  function cellCard(c) {
    const spare = c.spareCu === null ? null : c.spareCu;
    const bufferOk = spare === null || spare >= c.bufferSpareCu;
    const conditions = c.conditions.map((k) => h('span', {title: (k.reason || '') + ': ' + (k.message || '')},
      TP.badge(k.type + '=' + k.status, healthy(k) ? 'ok' : 'warn')));
    const hosts = c.fullestHosts.map((f) => h('div', {class: 'bar-row', data: {host: f.name}},
      h('span', {class: 'mono'}, f.name, f.ready ? null : [' ', TP.badge('not ready', 'bad')], f.unschedulable ? [' ', TP.badge('cordoned', 'warn')] : null),
      TP.fillBar(f.fill, c.watermark),
      h('span', {class: 'num', text: TP.num(f.allocatedCu) + ' / ' + TP.num(f.capacityCu) + ' CU'})));
    return h('section', {class: 'card', data: {cell: c.name}},
      h('div', {class: 'card-head'}, h('h2', {text: c.name}), TP.badge('provider: ' + c.provider, 'ok'), conditions),
      h('dl', {class: 'facts'},
        fact('hosts', TP.num(c.hostsReady, 0) + ' ready / ' + TP.num(c.hosts, 0) + ' (max ' + c.maxHosts + ')'),
        fact('allocated', TP.num(c.allocatedCu) + ' / ' + TP.num(c.capacityCu) + ' CU'),
        fact('spare', h('span', {class: bufferOk ? '' : 'refused'}, TP.cu(spare) + ' (buffer ' + TP.cu(c.bufferSpareCu) + ')')),
        fact('watermark', Math.round(c.watermark * 100) + '%'),
        fact('cpu overcommit', String(c.cpuOvercommit)),
        fact('host template', c.hostTemplate ? c.hostTemplate.cpus + ' cpus, ' + c.hostTemplate.memory : '–')),
      c.notes.length ? h('ul', {class: 'quiet'}, c.notes.map((n) => h('li', {text: n}))) : null,
      h('h3', {text: c.hosts > c.fullestHosts.length ? 'Fullest ' + c.fullestHosts.length + ' of ' + c.hosts + ' hosts' : 'Hosts'}),
      hosts.length ? h('div', {class: 'hostgrid'}, hosts) : h('p', {class: 'quiet', text: 'No hosts yet.'}),
      c.hosts > c.fullestHosts.length ? h('p', {}, h('a', {href: '/console/hosts?cell=' + encodeURIComponent(c.name) + '&sort=fill', text: 'All hosts of ' + c.name + ' →'})) : null);
  }

  /** Conditions named ...Ready are good when True; others (a failing provider) are news when True. */
  function healthy(condition) {
    return condition.type.endsWith('Ready') ? condition.status === 'True' : condition.status !== 'True';
  }

  function fact(label, value) {
    return h('div', {}, h('dt', {text: label}), h('dd', {}, value));
  }

  TP.live('cells', {}, function (view) {
    TP.fill('note', TP.note(view.note));
    TP.fill('cells', view.cells.length ? view.cells.map(cellCard) : h('p', {class: 'quiet', text: 'No cells yet: apply a Cell manifest.'}));
  });
})();
