// Git sync: each apply set's source, the commit applied, the latest attempt, and drift.
(function () {
  'use strict';
  const h = TP.h;
  TP.main.replaceChildren(h('h1', {text: 'Git sync'}),
    h('p', {class: 'subtitle', text: 'Every apply records its objects in a named set. A set synced from git names its repository, branch and path, the commit applied, and objects that drifted from it since.'}),
    h('div', {id: 'sets'}));

  function card(s) {
    const src = s.source || {};
    const last = s.lastAttempt;
    const drift = s.drift;
    return h('section', {class: 'card', data: {set: s.name}},
      h('div', {class: 'card-head'}, h('h2', {text: s.name}),
        last ? TP.badge(last.outcome, last.outcome === 'Applied' || last.outcome === 'Unchanged' ? 'ok' : 'bad') : null,
        drift ? TP.badge(drift.count ? drift.count + ' drifted' : 'no drift', drift.count ? 'warn' : 'ok') : TP.badge('drift not checked yet')),
      h('dl', {class: 'facts'},
        fact('repository', src.repo || 'applied by hand'), fact('branch', src.branch || '–'), fact('path', src.path || '–'),
        fact('applied commit', s.applied && s.applied.commit ? h('span', {class: 'mono', text: s.applied.commit.slice(0, 12)}) : '–'),
        fact('applied', s.applied ? TP.dateTime(s.applied.at) : 'never'),
        fact('objects', TP.num(s.objects, 0))),
      last ? h('p', {class: last.outcome === 'Applied' || last.outcome === 'Unchanged' ? 'quiet' : 'error'},
        'Latest attempt ' + TP.ago(last.at) + (last.commit ? ' at ' + last.commit.slice(0, 12) : '') + ': ' + last.outcome
          + (last.message ? ': ' + last.message : '')) : null,
      last && last.errors.length ? h('pre', {text: last.errors.join('\n')}) : null,
      drift && drift.count ? h('div', {},
        h('p', {class: 'quiet', text: 'Changed or deleted since the set applied them (checked ' + TP.ago(drift.at) + ')'
          + (drift.count > drift.objects.length ? '; the first ' + drift.objects.length + ' of ' + drift.count : '') + ':'}),
        h('ul', {class: 'mono'}, drift.objects.map((o) => h('li', {text: o})))) : null);
  }

  function fact(label, value) {
    return h('div', {}, h('dt', {text: label}), h('dd', {}, value));
  }

  TP.live('sync', {}, function (view) {
    TP.fill('sets', view.sets.length ? view.sets.map(card)
      : h('p', {class: 'quiet', text: 'No apply sets yet: tidepool apply (or tidepool sync) records one.'}));
  });
})();
