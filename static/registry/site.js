// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // Fields that apply to one action only (e.g. a licence renewal's new dates) show for that action;
  // without this script they stay visible under a legend that says when they apply.
  function syncActionFields(root) {
    root.querySelectorAll("[data-shown-for-action]").forEach(function (box) {
      var select = box.form && box.form.elements.namedItem("action");
      if (select) { box.hidden = select.value !== box.getAttribute("data-shown-for-action"); }
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "action" && event.target.form) { syncActionFields(event.target.form); }
  });
  document.addEventListener("htmx:afterSwap", function (event) { syncActionFields(event.detail.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { syncActionFields(document); });
  } else {
    syncActionFields(document);
  }

  // After htmx loads a form into a panel, move keyboard focus to its heading.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-focus-on-swap")) {
      var heading = target.querySelector("h1, h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  });
})();
