/* Small helpers for the staff pages. No dependencies; safe to include more than once. */
(function () {
  "use strict";
  if (window.grassrootsApp) { return; }
  window.grassrootsApp = true;

  var SUBMITS = "button[type=submit], button:not([type]), input[type=submit]";

  function setButtons(form, disabled) {
    form.querySelectorAll(SUBMITS).forEach(function (button) { button.disabled = disabled; });
  }

  // Double-click guard: the form's one-time token is the real guard, this only saves a round trip.
  // Disable after the browser has collected the form data, so the clicked button's value still goes.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
    window.setTimeout(function () { setButtons(form, true); }, 0);
  });

  // htmx forms stay on the page: give their buttons back when the request is over.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (form) { setButtons(form, false); }
  });

  // Back/forward cache restores a page with its buttons still disabled.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form").forEach(function (form) { setButtons(form, false); });
    }
  });

  // Live character counter for every textarea with a maxlength.
  function attachCounter(textarea) {
    if (textarea.dataset.counter) { return; }
    textarea.dataset.counter = "1";
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    var counter = document.createElement("div");
    counter.className = "char-count";
    counter.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", counter);
    function update() {
      var used = textarea.value.length;
      counter.textContent = "已输入 " + used + " / " + max + " 字";
      counter.classList.toggle("char-count-full", used >= max);
    }
    textarea.addEventListener("input", update);
    update();
  }

  function attachCounters(root) {
    root.querySelectorAll("textarea[maxlength]").forEach(attachCounter);
  }

  document.addEventListener("DOMContentLoaded", function () { attachCounters(document); });
  document.addEventListener("htmx:load", function (event) { attachCounters(event.detail.elt); });

  // Tables: on a phone each row becomes a card, and each cell needs its column's name beside it
  // (data-label, from the header when a template did not write one); dates never break in two.
  var DATE = /^\d{4}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日)(?:\s+\d{1,2}:\d{2})?$/;
  function labelTable(table) {
    if (table.dataset.labelled) { return; }
    table.dataset.labelled = "1";
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (!cell.dataset.label && headers[i]) { cell.dataset.label = headers[i]; }
        if (DATE.test(cell.textContent.trim())) { cell.classList.add("nowrap"); }
      });
    });
  }

  function labelTables(root) {
    root.querySelectorAll("table").forEach(labelTable);
  }

  document.addEventListener("DOMContentLoaded", function () { labelTables(document); });
  document.addEventListener("htmx:load", function (event) { labelTables(event.detail.elt); });

  // "采用" on a suggestion fills the form field it names; the clerk still submits the form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-set-field]");
    if (!button) { return; }
    var field = document.querySelector("[name=" + button.dataset.setField + "]");
    if (field) {
      field.value = button.dataset.value;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
