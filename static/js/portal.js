// Small behaviours the templates ask for with data- attributes, as the Content-Security-Policy
// runs no inline script and no on…= handler:
//   <form data-confirm="Really?">   asks before it is sent
//   <select data-autosubmit>         sends its form when changed (the footer's language)
//   <button data-go-back>            goes back one page (the error pages)
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-go-back]")) window.history.back();
  });
})();
