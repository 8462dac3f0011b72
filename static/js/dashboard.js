// The dashboard's charts: the data comes from json_script elements written by the view.
(function () {
  "use strict";
  const COLOURS = { party_rate: "#c62828", service_rate: "#1565c0", committee_rate: "#2e7d32" };

  function read(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function draw(canvasId, dataId, type) {
    const canvas = document.getElementById(canvasId);
    const data = read(dataId);
    if (!canvas || !data || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set) {
          return {
            label: set.label,
            // Rates arrive as decimal strings ("72.5"), or null where nothing is covered.
            data: set.data.map(function (value) { return value === null ? null : Number(value); }),
            backgroundColor: COLOURS[set.key],
            borderColor: COLOURS[set.key],
            tension: 0.2,
          };
        }),
      },
      options: {
        responsive: true,
        aspectRatio: type === "bar" ? 2.4 : 3.2,
        scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + item.formattedValue + "%"; },
            },
          },
        },
      },
    });
  }

  draw("coverage-chart", "coverage-chart-data", "bar");
  draw("trend-chart", "trend-chart-data", "line");
})();
