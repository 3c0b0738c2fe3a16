// One endpoint: its state, and a chart of allocated CU against load and memory over the last hour,
// with scaling decisions, migrations and restarts marked on the same timeline, each with its why.
(function () {
  'use strict';
  const h = TP.h;
  const name = TP.subject;
  const GIB = 1024 * 1024 * 1024;
  const CU_MEMORY = 4 * GIB;
  const HOUR = 3600;
  const MIN_SPAN = 120;
  let chart = null;
  let markers = [];
  let selected = null;

  TP.main.replaceChildren(
    h('h1', {}, name, ' ', h('span', {id: 'phase'})),
    h('p', {class: 'subtitle', id: 'summary'}),
    h('div', {id: 'note'}),
    h('section', {class: 'card chart-card'},
      h('div', {class: 'card-head'}, h('h2', {text: 'Last hour'}),
        h('span', {class: 'quiet', text: 'allocated CU (step), load1 in vCPUs and memory used, on one scale: 1 CU = 1 vCPU = 4 GiB'})),
      h('div', {id: 'chart'}),
      h('p', {class: 'legend-note', text: 'Markers: hover for what happened, click for why. '},
        h('span', {class: 'dot scaling'}), 'scaling ', h('span', {class: 'dot migration'}), 'migration ',
        h('span', {class: 'dot restart'}), 'restart ', h('span', {class: 'dot suspend'}), 'suspend / resume'),
      h('div', {id: 'why'}),
      h('ul', {id: 'markers', class: 'markers'})),
    h('div', {class: 'two'},
      h('section', {class: 'card'}, h('h2', {text: 'Computes'}), h('div', {id: 'computes'})),
      h('section', {class: 'card'}, h('h2', {text: 'Conditions'}), h('div', {id: 'conditions'}))),
    h('section', {class: 'card'}, h('h2', {text: 'Migrations'}), h('div', {id: 'migrations'})));

  /** The chart's columns: bucket times plus "now", so the CU line reaches the present. */
  function columns(t) {
    const x = Array.from(t.time);
    const cu = Array.from(t.cu);
    const load = Array.from(t.load1);
    const memory = Array.from(t.memoryUsedBytes).map((b) => b === null ? null : b / CU_MEMORY);
    const now = Math.floor(Date.now() / 1000);
    if (x.length && now > x[x.length - 1]) {
      x.push(now);
      cu.push(cu[cu.length - 1]);
      load.push(null);
      memory.push(null);
    }
    return [x, cu, load, memory];
  }

  /** The last hour at most; a new endpoint (or a new leader) shows what it has, and at least two minutes. */
  function timeWindow(min, max) {
    const now = Date.now() / 1000;
    const end = Math.max(now, max || now);
    return [Math.max(end - HOUR, Math.min(min || end, end - MIN_SPAN)), end];
  }

  function makeChart(target) {
    const width = Math.max(400, target.clientWidth || 900);
    return new uPlot({
      width: width, height: 300,
      cursor: {drag: {x: true, y: false}},
      // The last hour, and never less than a quarter of it: a new leader's few minutes stay readable.
      scales: {x: {time: true, range: (u, min, max) => timeWindow(min, max)},
        cu: {range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.15)]}},
      series: [
        {value: (u, v) => v === null ? '–' : new Date(v * 1000).toLocaleTimeString()},
        {label: 'allocated CU', scale: 'cu', stroke: '#0b5f8a', width: 2.5, fill: 'rgba(11,95,138,0.08)',
          paths: uPlot.paths.stepped({align: 1}), value: (u, v) => v === null ? '–' : v + ' CU'},
        {label: 'load1', scale: 'cu', stroke: '#d35400', width: 1.5, value: (u, v) => v === null ? '–' : v.toFixed(2) + ' vCPU'},
        {label: 'memory used', scale: 'cu', stroke: '#7d3c98', width: 1.5, dash: [6, 3],
          value: (u, v) => v === null ? '–' : (v * 4).toFixed(2) + ' GiB'}],
      axes: [{},
        {scale: 'cu', label: 'CU · vCPU', size: 56},
        {scale: 'cu', side: 1, label: 'GiB', size: 56, grid: {show: false},
          values: (u, ticks) => ticks.map((t) => +(t * 4).toFixed(1))}],
      hooks: {draw: [placePins]},
    }, columns({time: [], cu: [], load1: [], memoryUsedBytes: []}), target);
  }

  /** Pins over the plot, one per marker in view; their tooltips say what happened. */
  function placePins(u) {
    u.over.querySelectorAll('.pin').forEach((p) => p.remove());
    const [min, max] = [u.scales.x.min, u.scales.x.max];
    markers.forEach((m, i) => {
      const t = new Date(m.at).getTime() / 1000;
      if (min === null || t < min || t > max) return;
      const pin = h('div', {class: 'pin ' + m.type + (selected === i ? ' selected' : ''), data: {type: m.type, index: i},
        title: TP.time(m.at) + ' ' + m.title + (m.explanation ? ': ' + m.explanation : ''), onclick: () => select(i)});
      pin.style.left = u.valToPos(t, 'x') + 'px';
      u.over.append(pin);
    });
  }

  function select(i) {
    selected = i;
    const m = markers[i];
    TP.fill('why', m ? h('p', {class: 'note'}, h('strong', {text: TP.dateTime(m.at) + ' · ' + m.title}), m.explanation ? [h('br'), m.explanation] : null) : null);
    drawMarkerList();
    if (chart) placePins(chart);
  }

  function drawMarkerList() {
    const list = document.getElementById('markers');
    list.replaceChildren(...markers.map((m, i) => i).reverse().map((i) => {
      const m = markers[i];
      return h('li', {class: selected === i ? 'selected' : '', data: {type: m.type}, onclick: () => select(i)},
        h('span', {class: 'quiet', text: TP.time(m.at)}),
        h('span', {class: 'what'}, h('span', {class: 'dot ' + m.type}), m.title),
        h('span', {class: 'quiet', text: m.explanation}));
    }));
    if (!markers.length) list.append(h('li', {class: 'quiet', text: 'Nothing has happened to this endpoint in this leader\'s term yet.'}));
  }

  function render(view) {
    const e = view.object;
    const s = e.status || {};
    TP.fill('phase', TP.badge(s.phase || 'Pending'));
    TP.fill('summary', [
      'cell ', h('a', {href: '/console/cells', text: e.spec.cell}),
      ' · on ', s.host ? h('a', {class: 'mono', href: '/console/hosts?q=' + encodeURIComponent(s.host), text: s.host}) : 'no host',
      ' · ', TP.cu(s.cu), ' applied (', TP.num(e.spec.compute.minCu), ' – ', TP.num(e.spec.compute.maxCu), ' CU)',
      ' · Postgres ', e.spec.postgres.version,
      s.address ? [' · ', h('span', {class: 'mono', text: s.address})] : null]);
    TP.fill('note', TP.note(view.note), view.restartNote ? h('p', {class: 'quiet', text: 'Planned restart: ' + view.restartNote}) : null,
      s.lastDecision ? h('p', {class: 'quiet'}, 'Latest scaling decision (' + TP.ago(s.lastDecision.at) + '): ', s.lastDecision.explanation) : null);

    const t = view.timeline;
    markers = t.markers;
    if (selected !== null && selected >= markers.length) selected = null;
    const target = document.getElementById('chart');
    if (!chart) chart = makeChart(target);
    const data = columns(t);
    chart.setData(data);
    // Away from the cursor, the legend shows the latest bucket's values.
    if (data[0].length > 1) chart.setLegend({idx: data[0].length - 2});
    target.dataset.points = String(t.time.length);
    target.dataset.latestCu = t.cu.length ? String(t.cu[t.cu.length - 1]) : '';
    target.dataset.markers = String(markers.length);
    drawMarkerList();

    TP.fill('computes', TP.table(['compute', 'host', 'role', 'phase', 'granted', 'applied'], view.computes.map((c) => [
      h('td', {class: 'mono', text: c.name}), h('td', {class: 'mono', text: c.host || '–'}),
      h('td', {text: c.role + (c.purpose ? ' (' + c.purpose + ')' : '')}), h('td', {}, TP.badge(c.phase || 'Pending')),
      h('td', {class: 'num', text: TP.cu(c.cu)}), h('td', {class: 'num', text: TP.cu(c.appliedCu)})])));
    TP.fill('conditions', TP.table(['type', 'status', 'reason', 'since'], (s.conditions || []).map((c) => [
      h('td', {text: c.type}), h('td', {}, TP.badge(c.status)), h('td', {title: c.message || '', text: c.reason || '–'}),
      h('td', {text: TP.ago(c.lastTransitionTime)})])));
    TP.fill('migrations', TP.table(['started', 'from → to', 'phase', 'why'], view.migrations.map((m) => [
      h('td', {text: TP.dateTime(m.status && m.status.startedAt)}),
      h('td', {class: 'mono', text: m.spec.sourceHost + ' → ' + m.spec.targetHost}),
      h('td', {}, TP.badge(m.status ? m.status.phase : 'Pending')),
      h('td', {class: 'why', text: (m.status && m.status.message) || m.spec.reason || ''})])));
  }

  window.addEventListener('resize', () => {
    if (chart) chart.setSize({width: Math.max(400, document.getElementById('chart').clientWidth), height: 300});
  });

  TP.live('endpoints/' + encodeURIComponent(name), {}, render);
})();
