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

  var compact = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });

  // Counts and values get a chart each: one value axis holds one currency, chosen in a select
  // (most used first), so a large currency never dwarfs the others and no dual axis is needed.
  function countAndValue(id, block) {
    draw("chart-" + id, {
      type: "bar",
      data: { labels: block.labels,
              datasets: [{ label: "Contracts", data: block.counts, backgroundColor: palette[0] }] },
      options: { plugins: { legend: { display: false } },
                 scales: { y: { beginAtZero: true, grace: "5%", ticks: { precision: 0 } } } }
    });
    var canvas = document.getElementById("chart-" + id + "-value");
    if (!canvas || !block.values.length) { return; }
    function dataset(i) {
      var series = block.values[i];
      return { label: "Value (" + series.currency + ")", data: series.data,
               backgroundColor: palette[(i + 1) % palette.length] };
    }
    var chart = new Chart(canvas, {
      type: "bar",
      data: { labels: block.labels, datasets: [dataset(0)] },
      options: {
        plugins: { legend: { display: false },
                   tooltip: { callbacks: { label: function (ctx) {
                     return ctx.dataset.label + ": " + ctx.parsed.y.toLocaleString("en-GB");
                   } } } },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return compact.format(v); } } } }
      }
    });
    var select = document.querySelector("[data-currency-for='chart-" + id + "-value']");
    if (select) {
      select.closest(".currency-picker").hidden = false;
      select.addEventListener("change", function () {
        chart.data.datasets = [dataset(Number(select.value))];
        chart.update();
      });
    }
  }

  countAndValue("by-mission", data.by_mission);
  countAndValue("by-year", data.by_year);

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
