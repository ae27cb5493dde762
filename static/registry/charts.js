// Draws the dashboard charts from the JSON the page embeds (#dashboard-data); no inline script.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.animation = reduceMotion ? false : Chart.defaults.animation;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.color = "#1f2933";
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

  var palette = ["#1f5f8b", "#b35c00", "#5a3e91", "#2d6a4f", "#8c2f39", "#4a5568"];
  var severityColours = { blocker: "#a11d1d", warning: "#8a4b00", info: "#1f5f8b" };
  var standingColours = { good: "#1e6b34", restricted: "#8a4b00", not_cleared: "#a11d1d" };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  function countAndValue(id, block) {
    var datasets = [{
      type: "bar", label: "Contracts", data: block.counts, backgroundColor: palette[0], yAxisID: "count"
    }];
    block.values.forEach(function (series, i) {
      datasets.push({
        type: "line", label: "Value (" + series.currency + ")", data: series.data,
        borderColor: palette[(i + 1) % palette.length], backgroundColor: palette[(i + 1) % palette.length],
        yAxisID: "value", tension: 0.2
      });
    });
    draw(id, {
      data: { labels: block.labels, datasets: datasets },
      options: {
        scales: {
          count: { type: "linear", position: "left", beginAtZero: true, grace: "10%", ticks: { precision: 0 },
                   title: { display: true, text: "Contracts" } },
          value: { type: "linear", position: "right", beginAtZero: true, display: block.values.length > 0,
                   grid: { drawOnChartArea: false }, title: { display: true, text: "Value" } }
        }
      }
    });
  }

  countAndValue("chart-by-mission", data.by_mission);
  countAndValue("chart-by-year", data.by_year);

  draw("chart-standing", {
    type: "doughnut",
    data: {
      labels: data.standing.labels,
      datasets: [{ data: data.standing.counts,
                   backgroundColor: data.standing.codes.map(function (c) { return standingColours[c]; }) }]
    }
  });

  draw("chart-findings", {
    type: "bar",
    data: {
      labels: data.findings.labels,
      datasets: data.findings.series.map(function (s) {
        return { label: s.label, data: s.data, backgroundColor: severityColours[s.code] };
      })
    },
    options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
                                          y: { stacked: true, ticks: { autoSkip: false } } } }
  });

  draw("chart-expiring", {
    type: "bar",
    data: { labels: data.expiring.labels,
            datasets: [{ label: "Licences", data: data.expiring.counts, backgroundColor: palette[1] }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
