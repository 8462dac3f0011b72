// The attendance checklist (templates/training/attendance_form.html): the search box hides
// the rows whose street or community name does not contain what is typed; hidden rows keep
// their ticks and are posted with the rest.
(function () {
  "use strict";
  var box = document.getElementById("checklist-search");
  if (!box) return;
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase();
    document.querySelectorAll("[data-checklist-group]").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll("[data-checklist-item]").forEach(function (item) {
        var match = !q || item.getAttribute("data-checklist-item").toLowerCase().indexOf(q) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      group.hidden = shown === 0;
    });
  });
})();
