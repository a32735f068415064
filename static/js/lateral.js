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
})();
