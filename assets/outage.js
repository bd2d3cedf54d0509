/* A database outage while a page is open: Dash's callbacks answer 503 (outage.py) and the renderer would just
   leave the old content. This shows the message (from the page's own catalogue text, data-outage on the shell)
   until a callback succeeds again. Loaded from /assets, so the Content-Security-Policy admits it. */
(function () {
  "use strict";
  var realFetch = window.fetch.bind(window);
  var BANNER_ID = "outage-banner";

  function show(on) {
    var banner = document.getElementById(BANNER_ID);
    if (!on) {
      if (banner) banner.remove();
      return;
    }
    if (banner) return;
    var shell = document.querySelector("[data-outage]");
    banner = document.createElement("div");
    banner.id = BANNER_ID;
    banner.className = "alert alert-warning shadow outage-banner";
    banner.setAttribute("role", "alert");
    banner.textContent = shell ? shell.getAttribute("data-outage") : "Data temporarily unavailable.";
    document.body.appendChild(banner);
  }

  window.fetch = function (input, init) {
    return realFetch(input, init).then(function (response) {
      var url = typeof input === "string" ? input : (input && input.url) || "";
      if (url.indexOf("/_dash-update-component") !== -1) show(response.status === 503);
      return response;
    });
  };
})();
