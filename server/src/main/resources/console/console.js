// Tidepool console: what every page shares. Plain JavaScript, no build step, no dependencies.
// Each page opens ONE live view (server-sent events): the server sends the page's data at once and
// again whenever something on it changes, so nothing polls and nothing reloads.
(function () {
  'use strict';

  const TP = {};
  window.TP = TP;
  TP.main = document.getElementById('main');
  TP.subject = document.body.dataset.subject || null;

  /** h('a', {href: '/x', class: 'y', text: 'z'}, child...): a DOM element; null children are skipped. */
  TP.h = function (tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') el.textContent = value;
      else if (key === 'class') el.className = value;
      else if (key === 'data') Object.entries(value).forEach(([k, v]) => { el.dataset[k] = v; });
      else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  };
  const h = TP.h;

  // ---- formatting ----
  TP.num = (x, digits) => (x === null || x === undefined) ? '–'
    : Number(x).toLocaleString(undefined, {maximumFractionDigits: digits === undefined ? 2 : digits});
  TP.cu = (x) => (x === null || x === undefined) ? '–' : TP.num(x) + ' CU';
  TP.time = (iso) => iso ? new Date(iso).toLocaleTimeString() : '–';
  TP.dateTime = (iso) => iso ? new Date(iso).toLocaleString() : '–';
  TP.ago = function (iso) {
    if (!iso) return '–';
    const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
    if (s < 5) return 'just now';
    if (s < 90) return s + ' s ago';
    if (s < 5400) return Math.round(s / 60) + ' min ago';
    if (s < 129600) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' d ago';
  };
  TP.badge = (text, kind) => h('span', {class: 'badge ' + (kind || text || ''), text: text || '–'});
  TP.endpointLink = (name) => h('a', {href: '/console/endpoints/' + encodeURIComponent(name), text: name});

  /** A fill bar: value / capacity, with the watermark as a tick; over it, the bar turns red. */
  TP.fillBar = function (fill, watermark) {
    const bar = h('div', {class: 'bar', title: Math.round(fill * 100) + '% allocated'
        + (watermark ? ', watermark ' + Math.round(watermark * 100) + '%' : '')});
    const inner = h('div', {class: 'fill' + (watermark && fill > watermark ? ' over' : watermark && fill > watermark - 0.1 ? ' near' : '')});
    inner.style.width = Math.min(100, Math.max(0, fill * 100)) + '%';
    bar.append(inner);
    if (watermark) {
      const mark = h('div', {class: 'mark'});
      mark.style.left = (watermark * 100) + '%';
      bar.append(mark);
    }
    return bar;
  };

  TP.table = function (columns, rows, rowAttrs) {
    return h('table', {class: 'grid'},
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {text: c})))),
      h('tbody', {}, rows.length ? rows.map((r, i) => h('tr', rowAttrs ? rowAttrs(i) : {}, r))
        : h('tr', {}, h('td', {colspan: columns.length, class: 'quiet', text: 'None.'}))));
  };

  TP.pager = function (view, go) {
    const from = view.total === 0 ? 0 : view.offset + 1;
    const to = view.offset + view.items.length;
    return h('div', {class: 'pager'},
      h('button', {type: 'button', text: '← Previous', disabled: view.offset === 0,
        onclick: () => go(Math.max(0, view.offset - view.limit))}),
      h('span', {class: 'range', text: TP.num(from, 0) + '–' + TP.num(to, 0) + ' of ' + TP.num(view.total, 0)}),
      h('button', {type: 'button', text: 'Next →', disabled: to >= view.total, onclick: () => go(view.offset + view.limit)}));
  };

  TP.note = (text) => text ? h('p', {class: 'note', text: text}) : null;

  // ---- the page's address holds its query, so a link or a reload shows the same page ----
  TP.params = () => Object.fromEntries(new URLSearchParams(location.search));
  TP.setParams = function (params) {
    const query = new URLSearchParams();
    Object.entries(params).forEach(([k, v]) => { if (v !== '' && v !== null && v !== undefined && !(k === 'offset' && +v === 0)) query.set(k, v); });
    const text = query.toString();
    history.replaceState(null, '', location.pathname + (text ? '?' + text : ''));
  };

  // ---- the live view ----
  const liveBadge = document.getElementById('live');
  function liveState(state, text) {
    if (!liveBadge) return;
    liveBadge.dataset.state = state;
    liveBadge.textContent = text;
  }

  /**
   * Opens the page's live view at /console/api/PATH?PARAMS&watch=true and calls onView(data) with each
   * version. Calling it again (new search, other page) closes the old stream first.
   */
  let source = null;
  TP.live = function (path, params, onView) {
    if (source) source.close();
    const query = new URLSearchParams();
    Object.entries(params || {}).forEach(([k, v]) => { if (v !== '' && v !== null && v !== undefined) query.set(k, v); });
    query.set('watch', 'true');
    const url = '/console/api/' + path + '?' + query.toString();
    source = new EventSource(url);
    TP.updates = 0;
    liveState('connecting', 'connecting');
    source.addEventListener('view', (event) => {
      liveState('live', 'live');
      TP.updates++;
      document.body.dataset.updates = TP.updates;
      onView(JSON.parse(event.data));
    });
    source.addEventListener('failure', (event) => {
      TP.showError(JSON.parse(event.data).error);
    });
    source.onerror = function () {
      liveState('reconnecting', 'reconnecting');
      // A stream refused outright (401, 404, 400) does not come back: say why, from a plain GET.
      if (source.readyState === EventSource.CLOSED) {
        fetch(url.replace(/[?&]watch=true/, ''), {credentials: 'same-origin'}).then(async (r) => {
          if (r.status === 401) location.href = '/console/login';
          else if (!r.ok) TP.showError((await r.json().catch(() => ({}))).error || r.statusText);
        });
      }
    };
  };

  TP.showError = function (message) {
    let box = document.getElementById('error');
    if (!box) {
      box = h('p', {id: 'error', class: 'error'});
      TP.main.prepend(box);
    }
    box.textContent = message;
  };

  /** Replaces the contents of the element with the given id (made at the end of main if missing). */
  TP.fill = function (id, ...children) {
    let el = document.getElementById(id);
    if (!el) {
      el = h('div', {id: id});
      TP.main.append(el);
    }
    el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => c instanceof Node ? c : document.createTextNode(String(c))));
    return el;
  };

  /** A search box that calls back a moment after typing stops. */
  TP.searchBox = function (placeholder, value, onChange) {
    let timer = null;
    return h('input', {type: 'search', placeholder: placeholder, value: value || '', 'aria-label': placeholder,
      oninput: (e) => { clearTimeout(timer); timer = setTimeout(() => onChange(e.target.value.trim()), 250); }});
  };

  TP.select = function (label, options, value, onChange) {
    return h('select', {'aria-label': label, onchange: (e) => onChange(e.target.value)},
      h('option', {value: '', text: 'all ' + label}),
      options.map((o) => h('option', {value: o, text: o, selected: o === value})));
  };

  // A page's loaded-at stamp: a page updated live keeps it, a reload makes a new one.
  document.body.dataset.loadedAt = String(Date.now());
})();
