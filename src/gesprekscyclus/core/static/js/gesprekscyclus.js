// Tables wider than the screen scroll inside their .gc-table-wrap. A keyboard user can
// only scroll such a region when it can take focus, and a screen reader user needs to
// know what it holds (WCAG 2.1.1, 4.1.2): a wrap that overflows becomes a focusable
// region named after its table's caption; one that fits stays out of the tab order.
(function () {
  "use strict";

  function markScrollRegions(root) {
    root.querySelectorAll(".gc-table-wrap").forEach(function (wrap) {
      var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      if (overflows) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (caption && !wrap.hasAttribute("aria-label")) {
          wrap.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
      }
    });
  }

  function markAll() {
    markScrollRegions(document);
  }

  // A table can also start to overflow without the window changing: when the fonts or
  // images arrive after the HTML, or a cell's content changes. Watch the tables themselves.
  var observer = "ResizeObserver" in window ? new ResizeObserver(markAll) : null;

  function watchTables() {
    markAll();
    if (observer) {
      document.querySelectorAll(".gc-table-wrap > table").forEach(function (table) {
        observer.observe(table);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", watchTables);
  document.addEventListener("htmx:afterSettle", watchTables);
  window.addEventListener("load", markAll);
  // At once, not debounced: a region that starts to scroll must be focusable before anyone
  // (or an accessibility checker) looks at the narrowed page.
  window.addEventListener("resize", markAll);
})();
