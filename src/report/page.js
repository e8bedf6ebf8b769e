// accord report: the page's only script, hand-written. It reads the JSON
// block, fills the relations table, draws the timeline's bars, and answers
// filters, clicks and brushing. Strings from articles go into the page as
// text only (textContent, attributes); links are made for http(s) addresses
// and for the page's own #doc= anchors.
(function () {
  'use strict';
  var errors = document.getElementById('errors');
  window.addEventListener('error', function (e) {
    errors.textContent += 'error: ' + (e.message || String(e.error)) + '\n';
  });
  window.addEventListener('unhandledrejection', function (e) {
    errors.textContent += 'error: ' + String(e.reason) + '\n';
  });

  var D = JSON.parse(document.getElementById('data').textContent);
  var SVGNS = 'http://www.w3.org/2000/svg';
  // Relation row fields (the columns of relations.csv, then the days).
  var KIND = 0, SUBJ = 1, OBJ = 2, REL = 3, NDOCS = 4, DOCS = 5, FIRST = 6, LAST = 7,
    EVID = 8, EVDOC = 9, CONF = 10, STYPE = 11, OTYPE = 12, DAYS = 13;
  var KIND_ORDER = ['agreement', 'mission', 'dialogue'];

  var state = { country: '', agency: '', kind: '', p0: null, p1: null, q: '',
    sortCol: -1, sortDir: 1, page: 0 };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function safeHref(url) { return /^https?:\/\//i.test(url) ? url : ''; }
  function word(s) { return String(s).replace(/[^A-Za-z]/g, ''); }
  function isoDate(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }
  function docLink(i, label) {
    var d = D.docs[i];
    var a = el('a', null, label !== undefined ? label : d.id);
    a.href = '#doc=' + encodeURIComponent(d.id);
    return a;
  }
  function dates(r) {
    if (!r[FIRST]) { return 'undated'; }
    return r[FIRST] === r[LAST] ? r[FIRST] : r[FIRST] + ' \u2013 ' + r[LAST];
  }

  // ---- filters ----------------------------------------------------------
  function party(r, name, type) {
    return (r[SUBJ] === name && r[STYPE] === type) || (r[OBJ] === name && r[OTYPE] === type);
  }
  function inPeriod(r) {
    if (state.p0 === null) { return true; }
    return r[DAYS].some(function (d) { return d >= state.p0 && d <= state.p1; });
  }
  function matchesExceptPeriod(r) {
    return (!state.kind || r[KIND] === state.kind) &&
      (!state.country || party(r, state.country, 'COUNTRY')) &&
      (!state.agency || party(r, state.agency, 'AGENCY'));
  }
  function matches(r) { return matchesExceptPeriod(r) && inPeriod(r); }

  // ---- table ------------------------------------------------------------
  var haystack = D.rels.map(function (r) {
    return [r[KIND], r[SUBJ], r[OBJ], r[REL], r[EVID], r[FIRST], r[LAST]].join('\u0001')
      .toLowerCase() + '\u0001' + r[DOCS].map(function (i) { return D.docs[i].id; }).join(' ').toLowerCase();
  });
  var tbody = document.getElementById('rel-rows');
  var headers = document.querySelectorAll('#rel-table th');

  function cellValue(r, col) {
    if (col === DOCS) { return r[DOCS].length; }
    if (col === EVDOC) { return r[EVDOC] === null ? '' : D.docs[r[EVDOC]].id; }
    if (col === CONF) { return Number(r[CONF]); }
    return r[col];
  }

  function renderTable() {
    var q = state.q.toLowerCase();
    var rows = [];
    for (var i = 0; i < D.rels.length; i++) {
      if (matches(D.rels[i]) && (!q || haystack[i].indexOf(q) >= 0)) { rows.push(i); }
    }
    if (state.sortCol >= 0) {
      var c = state.sortCol, dir = state.sortDir;
      rows.sort(function (a, b) {
        var x = cellValue(D.rels[a], c), y = cellValue(D.rels[b], c);
        if (x < y) { return -dir; }
        if (x > y) { return dir; }
        return a - b;
      });
    }
    var pages = Math.max(1, Math.ceil(rows.length / D.pageSize));
    state.page = Math.min(state.page, pages - 1);
    var start = state.page * D.pageSize;
    var frag = document.createDocumentFragment();
    rows.slice(start, start + D.pageSize).forEach(function (i) {
      var r = D.rels[i];
      var tr = el('tr', { 'data-rel': String(i) });
      tr.appendChild(el('td', null, r[KIND]));
      tr.appendChild(el('td', null, r[SUBJ]));
      tr.appendChild(el('td', null, r[OBJ]));
      tr.appendChild(el('td', null, r[REL]));
      tr.appendChild(el('td', { 'class': 'num' }, r[NDOCS]));
      var ids = el('td');
      r[DOCS].slice(0, 3).forEach(function (d, k) {
        if (k) { ids.appendChild(document.createTextNode(';')); }
        ids.appendChild(docLink(d));
      });
      if (r[DOCS].length > 3) {
        ids.appendChild(document.createTextNode(' +' + (r[DOCS].length - 3) + ' more'));
      }
      tr.appendChild(ids);
      tr.appendChild(el('td', null, r[FIRST]));
      tr.appendChild(el('td', null, r[LAST]));
      var ev = el('td', { 'class': 'ev' });
      if (r[EVDOC] !== null) { ev.appendChild(docLink(r[EVDOC], r[EVID])); } else { ev.textContent = r[EVID]; }
      tr.appendChild(ev);
      var evd = el('td');
      if (r[EVDOC] !== null) { evd.appendChild(docLink(r[EVDOC])); }
      tr.appendChild(evd);
      tr.appendChild(el('td', { 'class': 'num' }, r[CONF]));
      tr.appendChild(el('td', null, r[STYPE]));
      tr.appendChild(el('td', null, r[OTYPE]));
      frag.appendChild(tr);
    });
    tbody.textContent = '';
    tbody.appendChild(frag);
    document.getElementById('count').textContent = rows.length + ' of ' + D.rels.length + ' relations';
    document.getElementById('page').textContent = 'page ' + (state.page + 1) + ' of ' + pages;
    document.getElementById('prev').disabled = state.page === 0;
    document.getElementById('next').disabled = state.page >= pages - 1;
    headers.forEach(function (th) {
      var col = Number(th.getAttribute('data-col'));
      th.classList.toggle('asc', col === state.sortCol && state.sortDir === 1);
      th.classList.toggle('desc', col === state.sortCol && state.sortDir === -1);
    });
  }

  headers.forEach(function (th) {
    function sort() {
      var col = Number(th.getAttribute('data-col'));
      if (state.sortCol === col) { state.sortDir = -state.sortDir; } else { state.sortCol = col; state.sortDir = 1; }
      state.page = 0;
      renderTable();
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
  });
  document.getElementById('search').addEventListener('input', function (e) {
    state.q = e.target.value;
    state.page = 0;
    renderTable();
  });
  document.getElementById('prev').addEventListener('click', function () { state.page -= 1; renderTable(); });
  document.getElementById('next').addEventListener('click', function () { state.page += 1; renderTable(); });

  // ---- timeline ---------------------------------------------------------
  var tl = D.tl;
  var tlSvg = document.getElementById('tl');
  var bars = document.getElementById('tl-bars');
  var brush = document.getElementById('brush');
  var span = tl.d1 + 1 - tl.d0;
  function xOf(day) { return tl.x0 + (day - tl.d0) / span * (tl.x1 - tl.x0); }
  function dayOf(x) {
    var d = tl.d0 + Math.floor((x - tl.x0) / (tl.x1 - tl.x0) * span);
    return Math.max(tl.d0, Math.min(tl.d1, d));
  }
  function binOf(day) {
    var lo = 0, hi = tl.bins.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (tl.bins[mid] <= day) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }
  function binEnd(b) { return b + 1 < tl.bins.length ? tl.bins[b + 1] - 1 : tl.d1; }

  function renderTimeline() {
    bars.textContent = '';
    if (!tl.bins.length) { return; }
    var counts = tl.bins.map(function () { return {}; });
    var max = 0;
    D.rels.forEach(function (r) {
      if (r[KIND] === 'role' || !matchesExceptPeriod(r)) { return; }
      var k = KIND_ORDER.indexOf(r[KIND]) >= 0 ? r[KIND] : 'other';
      r[DAYS].forEach(function (d) {
        var c = counts[binOf(d)];
        c[k] = (c[k] || 0) + 1;
      });
    });
    counts.forEach(function (c) {
      var t = 0;
      Object.keys(c).forEach(function (k) { t += c[k]; });
      max = Math.max(max, t);
    });
    if (!max) { return; }
    var h = tl.axis - tl.top;
    counts.forEach(function (c, b) {
      var x = xOf(tl.bins[b]), w = Math.max(1, xOf(binEnd(b) + 1) - x - 1);
      var y = tl.axis;
      KIND_ORDER.concat(['other']).forEach(function (k) {
        if (!c[k]) { return; }
        var bh = c[k] / max * h;
        y -= bh;
        var rect = document.createElementNS(SVGNS, 'rect');
        rect.setAttribute('class', 'bar ' + k);
        rect.setAttribute('x', x.toFixed(1));
        rect.setAttribute('y', y.toFixed(1));
        rect.setAttribute('width', w.toFixed(1));
        rect.setAttribute('height', bh.toFixed(1));
        rect.setAttribute('data-bin', String(b));
        var title = document.createElementNS(SVGNS, 'title');
        title.textContent = isoDate(tl.bins[b]) + (tl.unit === 'day' ? '' : ' \u2013 ' + isoDate(binEnd(b))) +
          ': ' + c[k] + ' ' + k;
        rect.appendChild(title);
        bars.appendChild(rect);
      });
    });
  }

  function showPeriod() {
    var label = document.getElementById('period');
    if (state.p0 === null) {
      label.textContent = 'all dates';
      brush.setAttribute('width', '0');
    } else {
      label.textContent = isoDate(state.p0) + ' \u2013 ' + isoDate(state.p1);
      brush.setAttribute('x', xOf(state.p0).toFixed(1));
      brush.setAttribute('width', Math.max(1, xOf(state.p1 + 1) - xOf(state.p0)).toFixed(1));
    }
  }
  function svgX(e) {
    var box = tlSvg.getBoundingClientRect();
    return (e.clientX - box.left) / box.width * tlSvg.viewBox.baseVal.width;
  }
  var dragFrom = null;
  tlSvg.addEventListener('pointerdown', function (e) {
    if (!tl.bins.length) { return; }
    dragFrom = svgX(e);
    // Keep the drag when the pointer leaves the chart (not every pointer can be captured).
    try { tlSvg.setPointerCapture(e.pointerId); } catch (err) { /* the drag still works inside */ }
  });
  tlSvg.addEventListener('pointermove', function (e) {
    if (dragFrom === null) { return; }
    var x = svgX(e);
    brush.setAttribute('x', Math.min(x, dragFrom).toFixed(1));
    brush.setAttribute('width', Math.abs(x - dragFrom).toFixed(1));
  });
  tlSvg.addEventListener('pointerup', function (e) {
    if (dragFrom === null) { return; }
    var x = svgX(e), a = Math.min(x, dragFrom), b = Math.max(x, dragFrom);
    dragFrom = null;
    if (b - a < 3) {
      var bin = binOf(dayOf(x));
      state.p0 = tl.bins[bin];
      state.p1 = binEnd(bin);
    } else {
      state.p0 = dayOf(a);
      state.p1 = dayOf(b);
    }
    refresh();
  });
  document.getElementById('clear-period').addEventListener('click', function () {
    state.p0 = null;
    state.p1 = null;
    refresh();
  });
  [['f-country', 'country'], ['f-agency', 'agency'], ['f-kind', 'kind']].forEach(function (f) {
    document.getElementById(f[0]).addEventListener('change', function (e) {
      state[f[1]] = e.target.value;
      refresh();
    });
  });

  // ---- network ----------------------------------------------------------
  var edgeEls = document.querySelectorAll('#edges .edge');
  var nodeEls = document.querySelectorAll('#nodes .node');
  var hover = document.getElementById('hover');
  var details = document.getElementById('details-body');

  function dimNetwork() {
    var live = {};
    edgeEls.forEach(function (p) {
      var e = D.edges[Number(p.getAttribute('data-e'))];
      var on = e.rels.some(function (i) { return matches(D.rels[i]); });
      p.classList.toggle('dim', !on);
      if (on) { live[e.a] = true; live[e.b] = true; }
    });
    nodeEls.forEach(function (g) {
      g.classList.toggle('dim', !live[Number(g.getAttribute('data-n'))]);
    });
  }

  function relBlock(i) {
    var r = D.rels[i];
    var div = el('div', { 'class': 'rel' });
    div.appendChild(el('b', null, r[REL]));
    div.appendChild(el('span', null, r[SUBJ] + ' \u2013 ' + r[OBJ] + ' \u00b7 ' + dates(r) + ' \u00b7 ' +
      r[NDOCS] + ' document' + (r[NDOCS] === 1 ? '' : 's')));
    var q = el('blockquote');
    if (r[EVDOC] !== null) { q.appendChild(docLink(r[EVDOC], r[EVID])); } else { q.textContent = r[EVID]; }
    div.appendChild(q);
    var ul = el('ul');
    r[DOCS].slice(0, 20).forEach(function (di) {
      var d = D.docs[di];
      var li = el('li');
      li.appendChild(docLink(di, d.title || d.id));
      li.appendChild(document.createTextNode(' ' + (d.date || 'undated') + ' '));
      var href = safeHref(d.url);
      if (href) {
        var a = el('a', { target: '_blank', rel: 'noopener noreferrer' }, d.url);
        a.href = href;
        li.appendChild(a);
      } else {
        li.appendChild(el('span', { 'class': 'hint' }, d.source));
      }
      ul.appendChild(li);
    });
    if (r[DOCS].length > 20) { ul.appendChild(el('li', null, (r[DOCS].length - 20) + ' more in the table')); }
    div.appendChild(ul);
    return div;
  }

  function select(els, pred) {
    edgeEls.forEach(function (p) { p.classList.remove('sel'); });
    nodeEls.forEach(function (g) { g.classList.remove('sel'); });
    els.forEach(function (x) { if (pred(x)) { x.classList.add('sel'); } });
  }

  function showEdges(title, edgeIdx) {
    details.textContent = '';
    details.appendChild(el('h3', null, title));
    KIND_ORDER.concat(['other']).forEach(function (k) {
      var rels = [];
      edgeIdx.forEach(function (ei) {
        var e = D.edges[ei];
        var kk = KIND_ORDER.indexOf(e.kind) >= 0 ? e.kind : 'other';
        if (kk === k) { rels = rels.concat(e.rels); }
      });
      if (!rels.length) { return; }
      details.appendChild(el('h4', null, k === 'agreement' ? 'instruments' : k === 'mission' ? 'missions' :
        k === 'dialogue' ? 'dialogues' : 'other'));
      rels.forEach(function (i) { details.appendChild(relBlock(i)); });
    });
  }

  function showEdge(ei) {
    var e = D.edges[ei];
    var same = [];
    D.edges.forEach(function (x, j) { if (x.a === e.a && x.b === e.b) { same.push(j); } });
    select(edgeEls, function (p) { return same.indexOf(Number(p.getAttribute('data-e'))) >= 0; });
    showEdges(D.nodes[e.a].name + ' \u2013 ' + D.nodes[e.b].name, same);
  }

  function showNode(ni) {
    var n = D.nodes[ni];
    var incident = [];
    D.edges.forEach(function (x, j) { if (x.a === ni || x.b === ni) { incident.push(j); } });
    select(nodeEls, function (g) { return Number(g.getAttribute('data-n')) === ni; });
    showEdges(n.name + ' (' + n.type + ', ' + n.mentions + ' mentions)', incident);
  }

  edgeEls.forEach(function (p) {
    var e = D.edges[Number(p.getAttribute('data-e'))];
    p.addEventListener('mouseenter', function () {
      hover.textContent = D.nodes[e.a].name + ' \u2013 ' + D.nodes[e.b].name + ': ' + e.kind + ', ' +
        e.documents + ' document' + (e.documents === 1 ? '' : 's');
    });
    p.addEventListener('click', function () { showEdge(Number(p.getAttribute('data-e'))); });
  });
  nodeEls.forEach(function (g) {
    g.addEventListener('click', function () { showNode(Number(g.getAttribute('data-n'))); });
  });

  // ---- document view ----------------------------------------------------
  var docView = document.getElementById('doc-view');
  var docIndex = {};
  D.docs.forEach(function (d, i) { docIndex[d.id] = i; });

  function showDoc(i) {
    var d = D.docs[i];
    docView.textContent = '';
    docView.setAttribute('data-doc', d.id);
    docView.appendChild(el('h3', null, d.title || d.id));
    var meta = el('p', { 'class': 'hint' }, d.id + ' \u00b7 ' + (d.date || 'undated') + ' \u00b7 ' + d.source + ' ');
    var href = safeHref(d.url);
    if (href) {
      var a = el('a', { target: '_blank', rel: 'noopener noreferrer' }, d.url);
      a.href = href;
      meta.appendChild(a);
    }
    docView.appendChild(meta);
    var t = d.text === null ? null : D.texts[d.text];
    if (t && t.text !== null) {
      var box = el('div', { 'class': 'doc-text' });
      var ents = t.ents.slice().sort(function (x, y) { return x[0] - y[0] || y[1] - x[1]; });
      var pos = 0;
      ents.forEach(function (e) {
        if (e[0] < pos) { return; }
        box.appendChild(document.createTextNode(t.text.slice(pos, e[0])));
        box.appendChild(el('mark', { 'class': 'e-' + word(e[2]), title: e[2] + ': ' + e[3] }, t.text.slice(e[0], e[1])));
        pos = e[1];
      });
      box.appendChild(document.createTextNode(t.text.slice(pos)));
      docView.appendChild(box);
    } else {
      var why = t ? 'The article text is not shown: ' + t.why + '.' :
        'This report embeds article views for ' + D.textDocs + ' documents at most, and not this one\'s: ' +
        'the evidence sentences below are all it holds of it.';
      docView.appendChild(el('p', { 'class': 'note' }, why));
    }
    var triples = t ? t.triples : [];
    if (triples.length) {
      docView.appendChild(el('h4', null, 'triples'));
      var table = el('table');
      var head = el('tr');
      ['kind', 'subject', 'object', 'relation', 'status', 'evidence'].forEach(function (h) {
        head.appendChild(el('th', null, h));
      });
      table.appendChild(head);
      triples.forEach(function (x) {
        var tr = el('tr');
        x.forEach(function (c) { tr.appendChild(el('td', null, c)); });
        table.appendChild(tr);
      });
      docView.appendChild(table);
    } else {
      var cites = [];
      D.rels.forEach(function (r, ri) { if (r[DOCS].indexOf(i) >= 0) { cites.push(ri); } });
      docView.appendChild(el('h4', null, 'relations citing it'));
      var ul = el('ul');
      cites.forEach(function (ri) {
        var r = D.rels[ri];
        ul.appendChild(el('li', null, r[KIND] + ': ' + r[SUBJ] + ' \u2013 ' + r[OBJ] + ', ' + r[REL] +
          (r[EVDOC] === i ? ' \u2014 \u201c' + r[EVID] + '\u201d' : '')));
      });
      docView.appendChild(ul);
    }
  }

  function route() {
    var h = window.location.hash;
    if (h.indexOf('#doc=') !== 0) { return; }
    var id = decodeURIComponent(h.slice(5));
    if (Object.prototype.hasOwnProperty.call(docIndex, id)) {
      showDoc(docIndex[id]);
      document.getElementById('document').scrollIntoView();
    } else {
      docView.textContent = '';
      docView.appendChild(el('p', { 'class': 'note' }, 'Document ' + id + ' is not in this report.'));
    }
  }
  window.addEventListener('hashchange', route);

  function refresh() {
    state.page = 0;
    showPeriod();
    renderTimeline();
    dimNetwork();
    renderTable();
  }

  refresh();
  // Open on the best-supported pair, so the panel is never empty.
  if (D.edges.length) {
    var best = 0;
    D.edges.forEach(function (e, j) { if (e.documents > D.edges[best].documents) { best = j; } });
    showEdge(best);
  }
  route();
  // Time from navigation to here: parsing, the data block and this script.
  document.body.setAttribute('data-ready-ms', String(Math.round(performance.now())));
  document.body.setAttribute('data-ready', '1');
}());
