// The marking screen's keys: each control that has data-key="…" is clicked when that
// key is pressed (1, 2, 3 mark; n, p move; u undoes). Every control is a plain link or
// button, so the screen works without this file.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var control = document.querySelector('[data-key="' + event.key.toLowerCase() + '"]');
    if (!control) return;
    event.preventDefault();
    control.click();
  });
})();
