// /present: the deck's keyboard, full screen, scaling and auto-advance (components/presentation.py draws the slides).
// Dash loads this on every page; it acts only while a `#present-deck` is on the page, and finds a new one (another
// city's deck after a navigation) by watching the page. No inline handlers: the Content-Security-Policy allows
// scripts from this site only.
(function () {
  "use strict";
  var WIDTH = 1920;
  var HEIGHT = 1080;
  var deck = null; // the deck being shown
  var timer = null; // the auto-advance timeout

  function slides() {
    return deck ? deck.querySelectorAll(".present-slide") : [];
  }

  function current() {
    return deck ? Number(deck.getAttribute("data-current") || "0") : 0;
  }

  // The 1920×1080 stage scaled to fit the window (or the full screen), letterboxed.
  function fit() {
    if (!deck) return;
    var scale = Math.min(window.innerWidth / WIDTH, window.innerHeight / HEIGHT);
    deck.style.setProperty("--present-scale", String(scale));
  }

  function autoSeconds() {
    var seconds = deck ? Number(deck.getAttribute("data-auto") || "0") : 0;
    return seconds > 0 ? seconds : 0;
  }

  // Restart the auto-advance from now: a speaker who turns a slide by hand gets the full interval on it.
  function schedule() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    var seconds = autoSeconds();
    if (!seconds) return;
    timer = window.setTimeout(function () {
      var all = slides();
      show(current() + 1 < all.length ? current() + 1 : 0); // a kiosk starts again after the last slide
    }, seconds * 1000);
  }

  function show(index) {
    var all = slides();
    if (!all.length) return;
    var target = Math.max(0, Math.min(index, all.length - 1));
    for (var i = 0; i < all.length; i++) {
      all[i].classList.toggle("is-active", i === target);
      all[i].setAttribute("aria-hidden", i === target ? "false" : "true");
    }
    deck.setAttribute("data-current", String(target));
    schedule();
  }

  function move(step) {
    deck.classList.add("present-started");
    show(current() + step);
  }

  function toggleFullscreen() {
    var request;
    if (document.fullscreenElement) {
      request = document.exitFullscreen();
    } else if (deck.requestFullscreen) {
      request = deck.requestFullscreen();
    }
    if (request && request.catch) {
      request.catch(function () {}); // refused (no user gesture, a frame): the deck stays as it is
    }
  }

  function adopt(found) {
    deck = found;
    if (!deck) {
      if (timer) window.clearTimeout(timer);
      timer = null;
      return;
    }
    fit();
    show(0);
    deck.focus({ preventScroll: true });
  }

  function watch() {
    var found = document.getElementById("present-deck");
    if (found !== deck) adopt(found);
  }

  document.addEventListener("keydown", function (event) {
    if (!deck || !document.body.contains(deck)) return;
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var key = event.key;
    if (tag === "BUTTON" && (key === "Enter" || key === " ")) return; // the button's own click turns the slide
    var handled = true;
    if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || key === "Enter") {
      move(1);
    } else if (key === " " || key === "Spacebar") {
      move(event.shiftKey ? -1 : 1);
    } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || key === "Backspace") {
      move(-1);
    } else if (key === "Home") {
      deck.classList.add("present-started");
      show(0);
    } else if (key === "End") {
      deck.classList.add("present-started");
      show(slides().length - 1);
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    if (!deck || !event.target || !event.target.closest) return;
    var button = event.target.closest(".present-btn");
    if (button) {
      if (button.id === "present-prev") move(-1);
      else if (button.id === "present-next") move(1);
      else if (button.id === "present-fullscreen") toggleFullscreen();
      return;
    }
    if (event.target.closest("#present-stage")) {
      // A click on the slide turns it: its left fifth goes back, the rest forward (as presentation programs do).
      move(event.clientX < window.innerWidth / 5 ? -1 : 1);
    }
  });

  // The controls show while the mouse moves, and hide again (with the pointer) after a few seconds.
  var pointerTimer = null;
  document.addEventListener("mousemove", function () {
    if (!deck) return;
    deck.classList.add("present-pointer");
    if (pointerTimer) window.clearTimeout(pointerTimer);
    pointerTimer = window.setTimeout(function () {
      if (deck) deck.classList.remove("present-pointer");
    }, 2500);
  });

  window.addEventListener("resize", fit);
  document.addEventListener("fullscreenchange", fit);

  function start() {
    watch();
    new MutationObserver(watch).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
