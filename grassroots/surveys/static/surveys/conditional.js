// Show a question only when the earlier choice it depends on is picked; the server enforces it too.
// The questions shown are numbered 1, 2, 3 … without the gaps that hidden ones would leave.
(function () {
  function renumber(form) {
    var n = 0;
    form.querySelectorAll("fieldset.survey-question").forEach(function (box) {
      if (box.hidden) { return; }
      n += 1;
      var number = box.querySelector(".q-number");
      if (number) { number.textContent = String(n); }
    });
  }

  function update(form) {
    form.querySelectorAll("[data-depends]").forEach(function (box) {
      var name = box.getAttribute("data-depends");
      var option = box.getAttribute("data-option");
      var on = false;
      form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (i) {
        var parent = i.closest("fieldset");
        if (i.value === option && !(parent && parent.hidden)) on = true;
      });
      box.hidden = !on;
    });
  }
  document.querySelectorAll("form.survey").forEach(function (form) {
    form.addEventListener("change", function () { update(form); update(form); renumber(form); });
    update(form);
    update(form);
    renumber(form);
  });
})();
