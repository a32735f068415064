// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After htmx swaps in a new step, move focus to its heading so keyboard and
  // screen-reader users start reading the new content, and scroll to it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "main") return;
    var heading = event.detail.target.querySelector("h1");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  });

  // Paper cannot unfold a section: open every closed <details> (the report's sections,
  // the other options' feedback, the summary's review; not the whole article beside a
  // question) for printing, and fold back after. lateral.css's print section shows
  // their contents too, for a browser that prints without running this.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open]):not(.whole-article)").forEach(function (d) {
      d.open = true;
      openedForPrint.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  // A link to something inside a folded section opens the section (Chromium does this
  // itself; other browsers leave the target hidden).
  function openTarget() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Timers: the server writes the time left (data-seconds-left); count it down here
  // between polls. Measured on the page's own monotonic clock, so a device whose clock
  // is wrong still counts right. The poll that follows zero shows the question closed.
  function startTimers(root) {
    var now = performance.now();
    root.querySelectorAll("[data-seconds-left]").forEach(function (el) {
      if (el.lateralEnds === undefined) {
        el.lateralEnds = now + Number(el.getAttribute("data-seconds-left")) * 1000;
      }
    });
  }
  function tick() {
    startTimers(document);
    var now = performance.now();
    document.querySelectorAll("[data-seconds-left]").forEach(function (el) {
      var left = Math.max(0, Math.ceil((el.lateralEnds - now) / 1000));
      var text = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      var value = el.querySelector(".countdown-value");
      if (value && value.textContent !== text) value.textContent = text;
      var label = el.querySelector(".countdown-label");
      if (left === 0 && label && !el.classList.contains("is-up")) {
        el.classList.add("is-up");
        label.textContent = label.getAttribute("data-up");
      }
    });
  }
  setInterval(tick, 250);

  // Keyboard controls: a letter presses the button that shows it (data-key, announced
  // with aria-keyshortcuts), never while the user types in a field or holds a modifier.
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var key = (event.key || "").toLowerCase();
    if (!/^[a-z]$/.test(key)) return;
    var button = document.querySelector('[data-keys] [data-key="' + key + '"]:not([hidden]):not([disabled])');
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // Full screen for the room screen (the browser's own, F11, works without this).
  function showFullscreen(root) {
    root.querySelectorAll("[data-fullscreen]").forEach(function (button) {
      button.hidden = !document.fullscreenEnabled;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fullscreen]");
    if (!button) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen();
  });
  document.addEventListener("htmx:load", function (event) {
    startTimers(event.detail.elt);
    showFullscreen(event.detail.elt);
  });
  // A control refused on the room screen (the room moved on meanwhile): show the room as
  // it is rather than swapping the refusal into it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target.id === "room" && event.detail.xhr.status >= 400) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });
})();
