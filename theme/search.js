// Kepu's search page. The index is of character pairs (see Sources/KepuSite/SearchPages.swift): a query is
// found where every pair of it occurs. Index files are scripts that call KepuSearch.terms / KepuSearch.docs,
// loaded with <script> elements, so the page works opened from disk (file://) as well as from a server,
// and a query loads only the files of its own pairs and of the reports it shows.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) return;
  var root = form.getAttribute("data-root");
  var base = form.getAttribute("data-index");
  var termFiles = +form.getAttribute("data-terms");
  var docsPerFile = +form.getAttribute("data-docs");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var texts = {};
  var spans = document.getElementById("search-texts").content.querySelectorAll("span");
  for (var i = 0; i < spans.length; i++) texts[spans[i].getAttribute("data-key")] = spans[i].textContent;
  function say(key, values) {
    return texts[key].replace(/\{(\w+)\}/g, function (_, k) { return values && k in values ? values[k] : ""; });
  }

  var terms = {}, docs = {}, pending = {};
  window.KepuSearch = {
    terms: function (n, table) { terms[n] = table; },
    docs: function (n, rows) { docs[n] = rows; }
  };
  function load(path, have) {
    if (have()) return Promise.resolve();
    if (!pending[path]) {
      pending[path] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = path;
        s.onload = function () { resolve(); };
        s.onerror = function () { delete pending[path]; reject(new Error(path)); };
        document.head.appendChild(s);
      });
    }
    return pending[path];
  }
  function loadTerms(n) { return load(base + "t/" + n + ".js", function () { return n in terms; }); }
  function loadDocs(n) { return load(base + "d/" + n + ".js", function () { return n in docs; }); }

  // The same letters as the index: letters and digits, ASCII lower-cased; anything else separates words.
  var letter = /[\p{Alphabetic}\p{N}]/u;
  function words(q) {
    var out = [], w = "";
    for (var ch of q) {
      if (letter.test(ch)) w += ch >= "A" && ch <= "Z" ? ch.toLowerCase() : ch;
      else { if (w) out.push(w); w = ""; }
    }
    if (w) out.push(w);
    return out;
  }
  function pairs(w) {
    var cs = Array.from(w), out = [];
    for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
    return out;
  }
  function shardOf(pair) {
    var cs = Array.from(pair);
    return (cs[0].codePointAt(0) * 31 + cs[1].codePointAt(0)) % termFiles;
  }
  // A pair's postings: report number → where it occurs (4 title, 2 kind/venue/date, 1 body).
  function postings(pair) {
    var table = terms[shardOf(pair)], out = new Map();
    var s = table && Object.prototype.hasOwnProperty.call(table, pair) ? table[pair] : "";
    if (!s) return out;
    var doc = -1, parts = s.split(",");
    for (var i = 0; i < parts.length; i++) {
      var v = parseInt(parts[i], 36);
      doc += v >> 3;
      out.set(doc, v & 7);
    }
    return out;
  }
  function weight(mask) { return mask & 4 ? 8 : mask & 2 ? 4 : 1; }

  var ranked = [], shown = 0, query = "", run = 0;
  var page = 20;

  function search(q) {
    var mine = ++run;
    query = q;
    list.textContent = "";
    more.hidden = true;
    ranked = []; shown = 0;
    var ws = words(q);
    if (!ws.length) { status.textContent = ""; return; }
    var long = ws.filter(function (w) { return Array.from(w).length > 1; });
    if (!long.length) { status.textContent = say("short"); return; }
    var all = [];
    long.forEach(function (w) { pairs(w).forEach(function (p) { if (all.indexOf(p) < 0) all.push(p); }); });
    var files = [];
    all.forEach(function (p) { var n = shardOf(p); if (files.indexOf(n) < 0) files.push(n); });
    status.textContent = say("loading");
    Promise.all(files.map(loadTerms)).then(function () {
      if (mine !== run) return;
      var score = null;
      all.forEach(function (p) {
        var post = postings(p), next = new Map();
        if (score === null) post.forEach(function (m, d) { next.set(d, weight(m)); });
        else score.forEach(function (s, d) { if (post.has(d)) next.set(d, s + weight(post.get(d))); });
        score = next;
      });
      ranked = Array.from(score.keys()).sort(function (a, b) { return score.get(b) - score.get(a) || b - a; });
      // A word of two letters is one pair: found exactly. Longer words may, rarely, have their pairs apart.
      var exact = long.every(function (w) { return Array.from(w).length === 2; }) && long.length === 1;
      var n = ranked.length;
      status.textContent = n === 0 ? say("none", { q: q }) : say(exact ? "found" : "about", { n: n, q: q });
      return showMore(mine);
    }).catch(function () { if (mine === run) status.textContent = say("failed"); });
  }

  function showMore(mine) {
    var slice = ranked.slice(shown, shown + page);
    var files = [];
    slice.forEach(function (d) { var n = Math.floor(d / docsPerFile); if (files.indexOf(n) < 0) files.push(n); });
    return Promise.all(files.map(loadDocs)).then(function () {
      if (mine !== run) return;
      slice.forEach(function (d) {
        var row = docs[Math.floor(d / docsPerFile)][d % docsPerFile];
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.className = "report-title";
        a.href = root + row[0];
        a.textContent = row[1];
        li.appendChild(a);
        var meta = document.createElement("p");
        meta.className = "meta";
        meta.textContent = [row[2], row[3], row[4]].filter(Boolean).join(" · ");
        li.appendChild(meta);
        if (row[5]) {
          var p = document.createElement("p");
          p.className = "summary";
          p.textContent = row[5];
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      shown += slice.length;
      more.hidden = shown >= ranked.length;
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  more.addEventListener("click", function () { showMore(run); });
  form.hidden = false;
  var m = /[?&]query=([^&#]*)/.exec(location.search);
  if (m) {
    input.value = decodeURIComponent(m[1].replace(/\+/g, " "));
    search(input.value);
  }
})();
