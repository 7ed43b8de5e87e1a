/* Influence CRM — the advocacy page's weekly chart (Chart.js, vendored UMD: window.Chart).
 *
 * Reads the data the page embeds as JSON in <script type="application/json" id="advocacy-data">
 * ({labels: [...], score: [...], score_reach_weighted: [...], net_sentiment: [...]}, net
 * sentiment ×100 so that the three share one axis from -100 to 100) and draws one line each,
 * told apart by dash as well as colour. Without JavaScript the weekly table is all there is.
 */
(function () {
  "use strict";

  var LINES = [
    ["score", "Advocacy score", "--badge-positive-fg", []],
    ["score_reach_weighted", "Reach-weighted score", "--badge-leader-fg", [6, 3]],
    ["net_sentiment", "Net sentiment ×100", "--badge-negative-fg", [2, 2]],
  ];

  function draw() {
    var source = document.getElementById("advocacy-data");
    var canvas = document.getElementById("advocacy-chart");
    if (!source || !canvas || !window.Chart) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    if (!data.labels || data.labels.length < 2) return; // one week: the table says it all
    var style = getComputedStyle(document.documentElement);
    var text = style.getPropertyValue("--pico-muted-color").trim() || "#666";
    var grid = style.getPropertyValue("--pico-muted-border-color").trim() || "#ddd";
    var datasets = LINES.map(function (line) {
      var colour = style.getPropertyValue(line[2]).trim() || "#2a6fdb";
      return {
        label: line[1],
        data: data[line[0]] || [],
        borderColor: colour,
        backgroundColor: colour,
        borderDash: line[3],
        borderWidth: 2,
        pointRadius: 3,
        spanGaps: false,
        tension: 0.2,
      };
    });
    canvas.parentElement.hidden = false;
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { min: -100, max: 100, ticks: { color: text }, grid: { color: grid } },
          x: { ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { color: grid } },
        },
        plugins: { legend: { labels: { color: text, usePointStyle: true } } },
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
