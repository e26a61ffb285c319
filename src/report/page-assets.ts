// The CSS and the script of report/index.html, inlined into the page. Plain browser JavaScript (no
// framework, no build step) that reads the JSON in <script id="report-data"> and the gzipped code
// chunks in <script class="code-chunk">, and uses the `diff` library (inlined beside it as the
// global `Diff`) for the side-by-side view.

export const PAGE_CSS = String.raw`
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5d6675; --bg: #fff; --panel: #f5f7fa; --line: #d9dee6;
  --s0: #d9534f; --s1: #2e8b57; --s2: #9aa7bd; --s3: #3f6fb5; --add: #e6f6ea; --del: #fbe9e9; --hit: #fff1c2; }
@media (prefers-color-scheme: dark) { :root { --fg: #e3e7ee; --muted: #9aa3b2; --bg: #151922; --panel: #1e2430; --line: #323a48;
  --add: #183222; --del: #3a1d1f; --hit: #4a3d12; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem 4rem; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.5rem; margin: 0.5rem 0; } h2 { font-size: 1.15rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
table { border-collapse: collapse; } th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); } .grid { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.run-info th { font-weight: 600; white-space: nowrap; } .run-info td { word-break: break-word; }
figure.chart { margin: 0.5rem 0 1rem; } figcaption { font-weight: 600; margin-bottom: 0.3rem; }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); } svg text.value { fill: var(--muted); }
svg .s0 { fill: var(--s0); } svg .s1 { fill: var(--s1); } svg .s2 { fill: var(--s2); } svg .s3 { fill: var(--s3); }
.controls { display: flex; gap: 0.8rem; align-items: center; margin: 0.5rem 0; flex-wrap: wrap; }
.controls input, .controls select, .controls button, #detail button { font: inherit; padding: 0.2rem 0.5rem; }
#files th[data-sort] { cursor: pointer; user-select: none; white-space: nowrap; } #files th[aria-sort="ascending"]::after { content: " ▲"; } #files th[aria-sort="descending"]::after { content: " ▼"; }
#files tbody tr { cursor: pointer; } #files tbody tr:hover, #files tbody tr.open { background: var(--panel); }
.status-passed { color: var(--s1); } .status-unresolved { color: #c98a00; } .status-error { color: var(--s0); }
#detail { margin-top: 1rem; padding: 1rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
#detail header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
.sbs { width: 100%; table-layout: fixed; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--bg); }
.sbs td { border: 0; padding: 0 0.4rem; white-space: pre-wrap; word-break: break-all; } .sbs td.ln { width: 3.2rem; text-align: right; color: var(--muted); user-select: none; }
.sbs th { font: 600 13px system-ui, sans-serif; } .sbs td.del { background: var(--del); } .sbs td.add { background: var(--add); }
.sbs td.hit { background: var(--hit); box-shadow: inset 3px 0 0 var(--s0); }
.mark { display: inline-block; margin-left: 0.6rem; padding: 0 0.3rem; border-radius: 3px; background: var(--s0); color: #fff; font: 11px system-ui, sans-serif; }
.findings-list { font-size: 13px; margin: 0.3rem 0 0.8rem; padding-left: 1.2rem; }
`;

export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });
  var rows = data.rows;
  var byId = new Map(rows.map(function (row) { return [row[col.id], row]; }));
  var PAGE = 100;
  var state = { sort: "id", dir: 1, text: "", status: "", page: 0, list: rows };
  var body = document.getElementById("files-body");
  var info = document.getElementById("page-info");
  var chunks = new Map();

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function testsText(value) { return value ? value[0] + "/" + value[1] : ""; }

  function refilter() {
    var text = state.text.toLowerCase();
    var list = rows.filter(function (row) {
      return (!text || row[col.id].toLowerCase().indexOf(text) >= 0) && (!state.status || row[col.status] === state.status);
    });
    var key = col[state.sort];
    var dir = state.dir;
    list.sort(function (a, b) {
      var x = a[key], y = b[key];
      if (Array.isArray(x)) x = x[0] / Math.max(1, x[1]);
      if (Array.isArray(y)) y = y[0] / Math.max(1, y[1]);
      if (x === y) return a[col.id] < b[col.id] ? -1 : 1;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * dir;
    });
    state.list = list;
    state.page = Math.min(state.page, Math.max(0, Math.ceil(list.length / PAGE) - 1));
    draw();
  }

  // Only the rows of the current page exist in the DOM.
  function draw() {
    var start = state.page * PAGE;
    var page = state.list.slice(start, start + PAGE);
    var fragment = document.createDocumentFragment();
    page.forEach(function (row) {
      var tr = el("tr");
      tr.dataset.id = row[col.id];
      tr.appendChild(el("td", "id", row[col.id]));
      tr.appendChild(el("td", "status-" + row[col.status], row[col.status]));
      tr.appendChild(el("td", "num", row[col.first]));
      tr.appendChild(el("td", "num", row[col.final]));
      if (data.baseline) tr.appendChild(el("td", "num", row[col.baselineFirst]));
      tr.appendChild(el("td", "num", row[col.attempts]));
      tr.appendChild(el("td", "", row[col.verdict] || ""));
      if (data.hasTests) tr.appendChild(el("td", "num", testsText(row[col.testsFirst])));
      if (data.hasTests) tr.appendChild(el("td", "num", testsText(row[col.testsFinal])));
      tr.appendChild(el("td", "muted", row[col.error] || ""));
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    info.textContent = state.list.length === 0 ? "no files match" :
      "files " + (start + 1) + "–" + (start + page.length) + " of " + state.list.length;
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = start + PAGE >= state.list.length;
  }

  function loadChunk(index) {
    if (!chunks.has(index)) {
      var text = document.getElementById("chunk-" + index).textContent.trim();
      var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      chunks.set(index, new Response(stream).text().then(JSON.parse));
    }
    return chunks.get(index);
  }

  function splitLines(text) {
    var lines = text.split(/\r\n|\r|\n/);
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  function byLine(findings) {
    var map = new Map();
    findings.forEach(function (f) {
      var line = Math.max(1, f[0]);
      if (!map.has(line)) map.set(line, []);
      map.get(line).push(f);
    });
    return map;
  }

  // Rows of [left line number, left text, right line number, right text, kind].
  function alignRows(first, final) {
    var out = [];
    var left = 1, right = 1;
    var parts = Diff.diffLines(first, final);
    for (var i = 0; i < parts.length; i += 1) {
      var part = parts[i];
      var lines = splitLines(part.value);
      if (!part.added && !part.removed) {
        lines.forEach(function (line) { out.push([left++, line, right++, line, ""]); });
      } else if (part.removed && parts[i + 1] && parts[i + 1].added) {
        var added = splitLines(parts[i + 1].value);
        for (var k = 0; k < Math.max(lines.length, added.length); k += 1) {
          var hasLeft = k < lines.length, hasRight = k < added.length;
          out.push([hasLeft ? left++ : null, hasLeft ? lines[k] : "", hasRight ? right++ : null, hasRight ? added[k] : "", "change"]);
        }
        i += 1;
      } else if (part.removed) {
        lines.forEach(function (line) { out.push([left++, line, null, "", "del"]); });
      } else {
        lines.forEach(function (line) { out.push([null, "", right++, line, "add"]); });
      }
    }
    return out;
  }

  function findingText(f) { return f[3] + " " + f[4] + " (" + f[2] + ", line " + f[0] + "): " + f[5]; }

  function codeCells(tr, number, text, kind, hits, side) {
    var ln = el("td", "ln", number === null ? "" : number);
    var code = el("td", kind === "change" ? (side === "left" ? "del" : "add") : kind === "del" && side === "left" ? "del" : kind === "add" && side === "right" ? "add" : "", text);
    var found = number === null ? undefined : hits.get(number);
    if (found) {
      code.classList.add("hit");
      code.title = found.map(findingText).join("\n");
      found.forEach(function (f) { code.appendChild(el("span", "mark", f[4])); });
    }
    tr.appendChild(ln);
    tr.appendChild(code);
  }

  function findingsList(findings) {
    var ul = el("ul", "findings-list");
    if (findings.length === 0) ul.appendChild(el("li", "muted", "no findings"));
    findings.forEach(function (f) { ul.appendChild(el("li", "", findingText(f))); });
    return ul;
  }

  function showFile(id) {
    var row = byId.get(id);
    var detail = document.getElementById("detail");
    if (!row) return Promise.resolve();
    Array.prototype.forEach.call(body.querySelectorAll("tr.open"), function (tr) { tr.classList.remove("open"); });
    var open = body.querySelector('tr[data-id="' + CSS.escape(id) + '"]');
    if (open) open.classList.add("open");
    return loadChunk(row[col.chunk]).then(function (chunk) {
      var file = chunk[row[col.position]];
      var first = file[0] === null ? "" : file[0];
      var final = file[1] === null ? "" : file[1];
      detail.replaceChildren();
      var header = el("header");
      var title = el("h3", "", id + " — " + row[col.status]);
      title.id = "detail-title";
      header.appendChild(title);
      var close = el("button", "", "close");
      close.addEventListener("click", function () { detail.hidden = true; detail.replaceChildren(); history.replaceState(null, "", "#"); });
      header.appendChild(close);
      detail.appendChild(header);
      detail.appendChild(el("p", "muted", "first version: " + file[2] + " · final version: " + file[3] +
        " · " + row[col.attempts] + " attempt(s)" + (row[col.verdict] ? " · judged " + row[col.verdict] : "")));
      var lists = el("div", "grid");
      var a = el("div"); a.appendChild(el("strong", "", "Findings in the first version (" + file[4].length + ")")); a.appendChild(findingsList(file[4]));
      var b = el("div"); b.appendChild(el("strong", "", "Findings in the final version (" + file[5].length + ")")); b.appendChild(findingsList(file[5]));
      lists.appendChild(a); lists.appendChild(b);
      detail.appendChild(lists);
      var table = el("table", "sbs");
      var head = el("tr");
      head.appendChild(el("th", "", "")); head.appendChild(el("th", "", "first version"));
      head.appendChild(el("th", "", "")); head.appendChild(el("th", "", "final version"));
      var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
      var tbody = el("tbody");
      var leftHits = byLine(file[4]), rightHits = byLine(file[5]);
      alignRows(first, final).forEach(function (r) {
        var tr = el("tr");
        codeCells(tr, r[0], r[1], r[4], leftHits, "left");
        codeCells(tr, r[2], r[3], r[4], rightHits, "right");
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      detail.appendChild(table);
      detail.hidden = false;
      detail.dataset.id = id;
      if (location.hash !== "#file=" + encodeURIComponent(id)) history.replaceState(null, "", "#file=" + encodeURIComponent(id));
    });
  }

  body.addEventListener("click", function (event) {
    var tr = event.target.closest("tr");
    if (tr && tr.dataset.id) showFile(tr.dataset.id).then(function () { document.getElementById("detail").scrollIntoView({ block: "start" }); });
  });
  document.querySelectorAll("#files th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.sort;
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      document.querySelectorAll("#files th[data-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", state.dir === 1 ? "ascending" : "descending");
      refilter();
    });
  });
  document.getElementById("filter").addEventListener("input", function (event) { state.text = event.target.value; state.page = 0; refilter(); });
  document.getElementById("status-filter").addEventListener("change", function (event) { state.status = event.target.value; state.page = 0; refilter(); });
  document.getElementById("prev").addEventListener("click", function () { state.page -= 1; draw(); });
  document.getElementById("next").addEventListener("click", function () { state.page += 1; draw(); });

  refilter();
  var match = /^#file=(.+)$/.exec(location.hash);
  var ready = match ? showFile(decodeURIComponent(match[1])) : Promise.resolve();
  ready.then(function () { document.body.dataset.ready = "true"; });
})();
`;
