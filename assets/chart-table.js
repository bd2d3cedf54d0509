/* A chart's figures as a table, built when its "数据表 / Data table" is opened (issue 18).

   components/plots.py (chart_table) sends each chart's table as text on a closed <details class="chart-data">:
   data-chart-table holds the rows (cells separated by tabs, rows by line breaks, the header row first) and
   data-chart-caption the table's name. Sent as Dash components, the tables were most of a page's answer and of its
   render on the server (/complaints: ~8,500 components); as text they cost a string each. Here the <table> is made
   inside the details' empty .chart-data-body the first time it is opened (a click or Enter on its summary, or any
   other way it opens), and made again if the chart's figures change while it is open: a visually hidden <caption>,
   the header in <th scope="col">, each row's category in <th scope="row"> and its figures in <td>. Text only
   (textContent), never markup. Loaded from /assets, so the Content-Security-Policy admits it. */
(function () {
  "use strict";

  var SELECTOR = "details.chart-data[data-chart-table]";

  function cell(tag, text, attrs) {
    var el = document.createElement(tag);
    el.textContent = text;
    for (var name in attrs) el.setAttribute(name, attrs[name]);
    return el;
  }

  function build(details) {
    var body = details.querySelector(".chart-data-body");
    var text = details.getAttribute("data-chart-table");
    var caption = details.getAttribute("data-chart-caption") || "";
    if (!body || text === null) return;
    if (body._chartTable === text && body._chartCaption === caption && body.firstChild) return; // already built
    var rows = text.split("\n").map(function (line) { return line.split("\t"); });
    var table = document.createElement("table");
    table.className = "table table-sm table-striped mb-0 chart-data-table";
    table.appendChild(cell("caption", caption, { "class": "visually-hidden" }));
    var head = document.createElement("thead");
    var tr = document.createElement("tr");
    rows[0].forEach(function (name) { tr.appendChild(cell("th", name, { scope: "col" })); });
    head.appendChild(tr);
    table.appendChild(head);
    var tbody = document.createElement("tbody");
    for (var r = 1; r < rows.length; r++) {
      tr = document.createElement("tr");
      tr.appendChild(cell("th", rows[r][0], { scope: "row" }));
      for (var c = 1; c < rows[r].length; c++) tr.appendChild(cell("td", rows[r][c], { "class": "text-end" }));
      tbody.appendChild(tr);
    }
    table.appendChild(tbody);
    body.replaceChildren(table);
    body._chartTable = text;
    body._chartCaption = caption;
  }

  // Opening by the summary (mouse, Enter, Space): built before the details opens, so it never shows empty.
  document.addEventListener("click", function (event) {
    var summary = event.target.closest ? event.target.closest("summary") : null;
    var details = summary ? summary.parentElement : null;
    if (details && details.matches(SELECTOR) && !details.open) build(details);
  }, true);
  // Opened any other way (toggle does not bubble: caught on its way down).
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.matches && details.matches(SELECTOR) && details.open) build(details);
  }, true);

  function start() {
    // The chart redrawn with other figures (a filter changed) while its table is open.
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        if (r.target.matches && r.target.matches(SELECTOR) && r.target.open) build(r.target);
      });
    }).observe(document.body, {
      subtree: true, attributes: true, attributeFilter: ["data-chart-table", "data-chart-caption"],
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
