// Residents' portal: a live character count, the accused-unit field shown only for 检举,
// and a submit button that disables itself so a double click sends one request.
(function () {
  "use strict";
  document.querySelectorAll("[data-counter-for]").forEach(function (line) {
    var area = document.getElementById(line.getAttribute("data-counter-for"));
    if (!area) return;
    var limit = parseInt(area.getAttribute("data-count-limit"), 10);
    function update() {
      var n = Array.from(area.value.replace(/\r\n/g, "\n")).length;
      line.textContent = "已输入 " + n + " / " + limit + " 字";
      line.classList.toggle("over", n > limit);
    }
    area.addEventListener("input", update);
    update();
  });
  document.querySelectorAll("[data-show-when]").forEach(function (box) {
    var toggle = document.getElementById(box.getAttribute("data-show-when"));
    if (!toggle) return;
    function update() { box.hidden = !toggle.checked; }
    toggle.addEventListener("change", update);
    update();
  });
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
