// Searchable pickers (portal/pickers.py): a <select data-picker="/pick/kind/"> renders only
// its chosen option; Tom Select asks the server for the rest as the clerk types.
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") return;
  const texts = document.getElementById("picker-texts");
  const say = texts ? JSON.parse(texts.textContent) : {};

  function escape(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    const url = select.dataset.picker;
    // Tom Select takes over the label's "for"; the original select keeps its name this way.
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !select.hasAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],            // the server searches; keep every row it sends
      maxOptions: 50,
      loadThrottle: 250,
      preload: "focus",
      allowEmptyOption: true,
      score: function () { return function () { return 1; }; },
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () { return '<div class="no-results">' + escape(say.none || "") + "</div>"; },
        loading: function () { return '<div class="spinner-border spinner-border-sm m-2" role="status"></div>'; },
      },
    });
  });
})();
