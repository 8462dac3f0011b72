// Facts panel: insert a live figure, with the date it was taken, into the focused section.
(function () {
  let target = null;
  document.addEventListener("focusin", (event) => {
    if (event.target.matches("textarea.reply-section-body")) target = event.target;
  });
  document.querySelectorAll("[data-fact-citation]").forEach((button) => {
    button.addEventListener("click", () => {
      const area = target || document.querySelector("textarea.reply-section-body");
      if (!area) return;
      const text = button.dataset.factCitation;
      const start = area.selectionStart ?? area.value.length;
      area.value = area.value.slice(0, start) + text + area.value.slice(area.selectionEnd ?? start);
      area.focus();
      area.selectionStart = area.selectionEnd = start + text.length;
    });
  });
})();
