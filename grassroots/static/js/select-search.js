/* A long select (of units) gets a box above it: typing narrows the options to those that match.
   Used by the staff pages and the portal: select[data-search="placeholder"]. */
(function () {
  "use strict";
  if (window.grassrootsSelectSearch) { return; }
  window.grassrootsSelectSearch = true;

  function attachSearch(select) {
    if (select.dataset.searchReady) { return; }
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = select.dataset.search;
    box.setAttribute("aria-label", select.dataset.search);
    select.insertAdjacentElement("beforebegin", box);
    box.addEventListener("input", function () {
      var words = box.value.trim();
      var first = null;
      select.querySelectorAll("option").forEach(function (option) {
        var shown = !option.value || !words || option.textContent.indexOf(words) !== -1;
        option.hidden = !shown;
        if (shown && option.value && !first) { first = option; }
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (words && first && (!select.value || select.selectedOptions[0].hidden)) { select.value = first.value; }
    });
  }

  function attachSearches(root) {
    root.querySelectorAll("select[data-search]").forEach(attachSearch);
  }

  document.addEventListener("DOMContentLoaded", function () { attachSearches(document); });
  document.addEventListener("htmx:load", function (event) { attachSearches(event.detail.elt); });
})();
