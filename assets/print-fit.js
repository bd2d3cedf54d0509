// Printing (assets/print.css): plotly draws each chart, and AG Grid lays out each grid, in pixels for the screen;
// on an A4 sheet they would run off the page, or make Chromium shrink the whole sheet to fit them (a grid's rows
// alone made it lay the sheet out at 1,009 px and print every figure at 70 %). So, for the time the page is printed
// (Ctrl+P and Chromium's own print to PDF alike):
// - before the sheet is laid out (beforeprint), each grid shows its current page's rows in compact rows, at the
//   height they take;
// - once it is (the print media query holds), each chart is redrawn at the width its card has on the sheet and each
//   grid's columns are fitted to it;
// - afterwards (afterprint) the screen's layout, widths and columns come back.
// A file, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  "use strict";

  var printing = false;

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function eachGrid(fn) {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApi) {
      return;
    }
    each(".ag-theme-alpine[id]", function (div) {
      var api = null;
      try {
        api = window.dash_ag_grid.getApi(div.id);
      } catch (e) {
        api = null; // a grid not ready yet prints as it is
      }
      if (api && !api.isDestroyed()) {
        fn(api, div);
      }
    });
  }

  // Every column onto the grid's width. On paper a grid whose columns (at their narrowest) are wider than the
  // sheet is zoomed out until they fit (print.css starts every grid at 85 %).
  function fitColumns(onPaper) {
    eachGrid(function (api, div) {
      if (div.getBoundingClientRect().width === 0) {
        return;
      }
      api.sizeColumnsToFit();
      var body = div.querySelector(".ag-body-viewport");
      if (!onPaper || !body) {
        return;
      }
      var total = api.getColumns().reduce(function (sum, column) {
        return sum + column.getActualWidth();
      }, 0);
      if (total > body.clientWidth) {
        var zoom = parseFloat(getComputedStyle(div).zoom) || 1;
        div.style.zoom = String(Math.max(0.5, (zoom * body.clientWidth) / (total + 2)));
        api.sizeColumnsToFit();
      }
    });
  }

  // The most grid a sheet of its own holds (print.css), in the grid's px before its 85 % zoom: its header, twenty
  // rows and the pager. Chromium cannot split a grid over two sheets (see print.css).
  var MOST_ON_A_SHEET = 1000;

  // The grid's current page of rows at the height they take (on a page of more than twenty rows, those past a
  // sheet's height are left out).
  function gridsToPaper() {
    eachGrid(function (api, div) {
      var header = div.querySelector(".ag-header");
      var pager = div.querySelector(".ag-paging-panel");
      var row = div.querySelector(".ag-center-cols-container .ag-row");
      var size = api.paginationGetPageSize();
      var first = api.paginationGetCurrentPage() * size;
      var rows = Math.max(0, Math.min(size, api.paginationGetRowCount() - first));
      var height = (header ? header.offsetHeight : 48) + rows * (row ? row.offsetHeight : 42);
      div.dataset.screenHeight = div.style.height;
      div.style.height = Math.min(height + (pager ? pager.offsetHeight : 48) + 4, MOST_ON_A_SHEET) + "px";
    });
  }

  function chartsToSheet() {
    if (printing) {
      return;
    }
    printing = true;
    fitColumns(true);
    if (!window.Plotly) {
      return;
    }
    each(".js-plotly-plot", function (gd) {
      var frame = gd.parentElement;
      var width = frame ? Math.floor(frame.getBoundingClientRect().width) : 0;
      if (gd._fullLayout && width > 0 && width !== Math.floor(gd._fullLayout.width)) {
        gd.dataset.printed = "1";
        window.Plotly.relayout(gd, { width: width });
      }
    });
  }

  function backToScreen() {
    eachGrid(function (api, div) {
      if (div.dataset.screenHeight !== undefined) {
        div.style.height = div.dataset.screenHeight;
        div.style.zoom = "";
        delete div.dataset.screenHeight;
      }
    });
    if (!printing) {
      return;
    }
    printing = false;
    fitColumns(false);
    if (!window.Plotly) {
      return;
    }
    each(".js-plotly-plot", function (gd) {
      if (gd.dataset.printed) {
        delete gd.dataset.printed;
        window.Plotly.relayout(gd, { width: null, autosize: true }).then(function () {
          return window.Plotly.Plots.resize(gd);
        });
      }
    });
  }

  window.addEventListener("beforeprint", gridsToPaper);
  var query = window.matchMedia ? window.matchMedia("print") : null;
  if (query && query.addEventListener) {
    query.addEventListener("change", function (event) {
      if (event.matches) {
        chartsToSheet();
      }
    });
  }
  window.addEventListener("afterprint", backToScreen);
})();
