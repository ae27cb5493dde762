// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // After htmx loads a form into a panel, move keyboard focus to its heading.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-focus-on-swap")) {
      var heading = target.querySelector("h1, h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  });
})();
