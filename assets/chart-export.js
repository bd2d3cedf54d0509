// A chart's download (the mode bar's camera) carries the chart's title, its source and as-of date and the demo mark,
// which the page shows as HTML around the chart (components/plots.py: chart_graph puts them in layout.meta.export).
// plotly.js has no hook into its image export, so for such a chart the camera's click is taken here (capture phase,
// before plotly's own handler) and the image is drawn from a copy of the figure with the title above and the source
// line below the plot; the page's chart is not touched. Any other button, or a chart without the caption, is
// plotly's as before. A file, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  "use strict";

  var TITLE_SIZE = 16;
  var SOURCE_SIZE = 11;
  var PAD = 12;

  // Lines of at most `width` pixels, by an estimate of each character's width (CJK a full em, others about half),
  // broken between Chinese characters or between words: plotly's titles and annotations do not wrap themselves.
  function wrap(text, size, width) {
    var pieces = text.match(/[\u2E80-\uFFEF]|[^\s\u2E80-\uFFEF]+|\s+/g) || [];
    var lines = [];
    var line = "";
    var used = 0;
    pieces.forEach(function (piece) {
      var w = /[\u2E80-\uFFEF]/.test(piece) ? size : piece.length * size * 0.52;
      if (used + w > width && line.trim()) {
        lines.push(line.trim());
        line = "";
        used = 0;
        if (/^\s+$/.test(piece)) {
          return;
        }
      }
      line += piece;
      used += w;
    });
    if (line.trim()) {
      lines.push(line.trim());
    }
    return lines;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // The figure as the image draws it: the page's layout with the margins it has now (automargin included), room
  // above for the title and below for the source, the title at the top left and the source line at the bottom left.
  function exportFigure(gd, caption) {
    var full = gd._fullLayout;
    var size = full._size;
    var width = Math.max(full.width, 480);
    var titleLines = wrap(caption.title, TITLE_SIZE, width - 2 * PAD);
    var sourceLines = wrap(caption.source, SOURCE_SIZE, width - 2 * PAD);
    var top = PAD + titleLines.length * Math.round(TITLE_SIZE * 1.35) + 8;
    var bottom = PAD + sourceLines.length * Math.round(SOURCE_SIZE * 1.45) + 6;
    var layout = JSON.parse(JSON.stringify(gd.layout));
    delete layout.meta;
    layout.width = width;
    layout.height = full.height + top + bottom;
    layout.margin = { l: size.l, r: size.r, t: size.t + top, b: size.b + bottom, pad: (layout.margin || {}).pad || 0 };
    layout.title = {
      text: titleLines.map(escapeHtml).join("<br>"),
      x: 0,
      xref: "container",
      xanchor: "left",
      y: 1,
      yref: "container",
      yanchor: "top",
      pad: { t: PAD, l: PAD },
      font: { size: TITLE_SIZE, color: "#1f2933" },
    };
    layout.annotations = (layout.annotations || []).concat([
      {
        text: sourceLines.map(escapeHtml).join("<br>"),
        xref: "paper",
        yref: "paper",
        x: 0,
        y: 0,
        xanchor: "left",
        yanchor: "top",
        xshift: PAD - size.l,
        yshift: -size.b - 6,
        align: "left",
        showarrow: false,
        font: { size: SOURCE_SIZE, color: "#5f6b7a" },
      },
    ]);
    var data = JSON.parse(JSON.stringify(gd.data));
    var config = { locale: gd._context.locale, locales: gd._context.locales };
    return { figure: { data: data, layout: layout, config: config }, width: width, height: layout.height };
  }

  document.addEventListener(
    "click",
    function (event) {
      var button = event.target && event.target.closest ? event.target.closest(".modebar-btn") : null;
      var gd = button ? button.closest(".js-plotly-plot") : null;
      var caption = gd && gd.layout && gd.layout.meta && gd.layout.meta.export;
      if (!caption || !window.Plotly || button.getAttribute("data-title") !== caption.camera) {
        return;
      }
      event.stopPropagation();
      event.preventDefault();
      var options = gd._context.toImageButtonOptions || {};
      var drawn = exportFigure(gd, caption);
      window.Plotly.downloadImage(drawn.figure, {
        format: options.format || "png",
        filename: options.filename || "chart",
        scale: options.scale || 2,
        width: drawn.width,
        height: drawn.height,
      });
    },
    true
  );
})();
