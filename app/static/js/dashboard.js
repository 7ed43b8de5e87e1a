/* Influence CRM — the dashboard's chart (Chart.js, vendored UMD: window.Chart).
 *
 * Reads the data the page embeds as JSON in <script type="application/json" id="dashboard-data">
 * ({labels: [days], mentions: [...], score: [...], net_sentiment: [...]}, net sentiment ×100)
 * and draws the mentions per day as bars on the left axis, the advocacy score and net sentiment
 * as lines (told apart by dash as well as colour) on the right axis from -100 to 100. Without
 * JavaScript the table of the same numbers is all there is.
 */
(function () {
  "use strict";

  function tr(text) {
    return window.InfluenceCRM && window.InfluenceCRM.t ? window.InfluenceCRM.t(text, text) : text;
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    var canvas = document.getElementById("dashboard-chart");
    if (!source || !canvas || !window.Chart) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    if (!data.labels || data.labels.length < 2) return; // one day: the table says it all
    var style = getComputedStyle(document.documentElement);
    function colour(name, fallback) {
      return style.getPropertyValue(name).trim() || fallback;
    }
    var text = colour("--pico-muted-color", "#666");
    var grid = colour("--pico-muted-border-color", "#ddd");
    var bars = colour("--pico-muted-border-color", "#ccd");
    var datasets = [
      {
        type: "bar",
        label: tr("Mentions"),
        data: data.mentions || [],
        backgroundColor: bars,
        borderColor: colour("--pico-muted-color", "#888"),
        borderWidth: 1,
        yAxisID: "count",
        order: 2,
      },
    ];
    [
      ["score", tr("Advocacy score"), "--badge-positive-fg", []],
      ["net_sentiment", tr("Net sentiment ×100"), "--badge-negative-fg", [2, 2]],
    ].forEach(function (line) {
      var c = colour(line[2], "#2a6fdb");
      datasets.push({
        type: "line",
        label: line[1],
        data: data[line[0]] || [],
        borderColor: c,
        backgroundColor: c,
        borderDash: line[3],
        borderWidth: 2,
        pointRadius: 2,
        spanGaps: false,
        tension: 0.2,
        yAxisID: "share",
        order: 1,
      });
    });
    canvas.parentElement.hidden = false;
    new window.Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          count: { position: "left", beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid } },
          share: { position: "right", min: -100, max: 100, ticks: { color: text }, grid: { drawOnChartArea: false } },
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
