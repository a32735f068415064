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
})();
