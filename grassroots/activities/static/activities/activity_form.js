/* The activity form shows the 宣讲 fields only when the kind is 宣讲. Without script they stay visible
   (the server ignores them for other kinds). No dependencies. */
(function () {
  "use strict";
  function sync(form) {
    var kind = form.querySelector("[name=kind]");
    if (!kind) { return; }
    form.querySelectorAll("[data-kind-only]").forEach(function (part) {
      part.hidden = part.dataset.kindOnly !== kind.value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("activity-form");
    if (!form) { return; }
    sync(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") { sync(form); }
    });
  });
})();
