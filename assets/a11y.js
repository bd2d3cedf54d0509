/* Keyboard and screen-reader repairs to Dash 4's dcc.Dropdown (issue 18), applied as dropdowns appear.

   Dash 4 draws a dropdown as a hidden, focusable <input aria-hidden="true"> that passes focus on to the real
   control, a <button tabindex="-1">. A screen reader lands on an element it was told does not exist (axe:
   aria-hidden-focus), and the button is named only by its value (aria-labelledby on the value), never by the
   label beside it. Here the button itself takes Tab, the hidden input is made inert, and a <label for=…> of the
   dropdown (with an id) is added to the button's name. React leaves these alone: it rewrites an attribute only when
   its own value for it changes, and these never change. Loaded from /assets, so the Content-Security-Policy admits it. */
(function () {
  "use strict";

  function repair(button) {
    if (button.dataset.a11y === "1") return;
    button.dataset.a11y = "1";
    var target = button.previousElementSibling;
    if (target && target.classList.contains("dash-dropdown-focus-target")) {
      target.inert = true;
      target.tabIndex = -1;
    }
    if (!button.disabled) button.tabIndex = 0;
    var label = button.id ? document.querySelector('label[for="' + CSS.escape(button.id) + '"]') : null;
    if (label && label.id) {
      var named = button.getAttribute("aria-labelledby") || "";
      if (named.split(" ").indexOf(label.id) === -1) button.setAttribute("aria-labelledby", (label.id + " " + named).trim());
    }
  }

  // A chart (components/plots.py: chart_graph): plotly's drawing, its first <svg class="main-svg">, becomes
  // role="img" named by the summary on the chart's box; the second (the hover layer) is hidden from screen readers.
  // The mode bar stays outside the image, its buttons reachable by keyboard.
  function label_chart(box) {
    var svgs = box.querySelectorAll("svg.main-svg");
    if (!svgs.length) return;
    svgs[0].setAttribute("role", "img");
    svgs[0].setAttribute("aria-label", box.getAttribute("data-chart-summary"));
    for (var i = 1; i < svgs.length; i++) svgs[i].setAttribute("aria-hidden", "true");
  }

  function scan(root) {
    if (root.nodeType !== 1) return;
    var box = root.closest("[data-chart-summary]");
    if (box) label_chart(box);
    root.querySelectorAll("[data-chart-summary]").forEach(label_chart);
    if (root.matches("button.dash-dropdown")) repair(root);
    root.querySelectorAll("button.dash-dropdown").forEach(repair);
    // dbc.Tabs points each tab's aria-controls at "…-tabpane-null", an id nothing has (its panes get none): an
    // optional attribute that names nothing is worse than none.
    root.querySelectorAll('[role="tab"][aria-controls$="-tabpane-null"]').forEach(function (tab) {
      tab.removeAttribute("aria-controls");
    });
    // dcc.Upload's file input has no label: its drop zone's text says what it takes.
    root.querySelectorAll('input[type="file"]:not([aria-label])').forEach(function (input) {
      var zone = input.parentElement;
      var text = zone ? zone.textContent.replace(/\s+/g, " ").trim() : "";
      if (text) input.setAttribute("aria-label", text);
    });
    // A progress bar is named by the data-progress-label of its container (components/data_import.py).
    root.querySelectorAll('[data-progress-label] [role="progressbar"]:not([aria-label])').forEach(function (bar) {
      bar.setAttribute("aria-label", bar.closest("[data-progress-label]").getAttribute("data-progress-label"));
    });
  }

  function start() {
    scan(document.body);
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(scan);
        if (r.type === "attributes" && r.attributeName === "data-chart-summary") label_chart(r.target);
        // a dropdown enabled after the fact (the district filter once a city is chosen) takes Tab again
        if (r.type === "attributes" && r.attributeName === "disabled" && r.target.matches("button.dash-dropdown") &&
            !r.target.disabled) {
          r.target.tabIndex = 0;
        }
      });
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["disabled", "data-chart-summary"] });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
