/* Influence CRM — the author page's score history chart (Chart.js, vendored UMD: window.Chart).
 *
 * Reads the data the page embeds as JSON in <script type="application/json"
 * id="score-history-data"> ({labels: [...], series: {networker: [...], ...}}), draws one line
 * per role score, then folds the table fallback away (it stays one click away).
 * Without JavaScript (or Chart.js) the table is all there is, and it is open.
 */
(function () {
  "use strict";

  // The page's words (app.js reads them from base.html); English is the fallback.
  function tr(text) {
    return window.InfluenceCRM && window.InfluenceCRM.t ? window.InfluenceCRM.t(text, text) : text;
  }

  var ROLES = [
    ["networker", tr("Networker"), "--badge-networker-fg", []],
    ["thought_leader", tr("Thought leader"), "--badge-leader-fg", [6, 3]],
    ["trendsetter", tr("Trendsetter"), "--badge-trend-fg", [2, 2]],
    ["amplifier", tr("Amplifier"), "--badge-amplifier-fg", [10, 3, 2, 3]],
  ];

  function draw() {
    var source = document.getElementById("score-history-data");
    var canvas = document.getElementById("score-history-chart");
    if (!source || !canvas || !window.Chart) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var style = getComputedStyle(document.documentElement);
    var text = style.getPropertyValue("--pico-muted-color").trim() || "#666";
    var grid = style.getPropertyValue("--pico-muted-border-color").trim() || "#ddd";
    var datasets = ROLES.map(function (role) {
      var colour = style.getPropertyValue(role[2]).trim() || "#2a6fdb";
      return {
        label: role[1],
        data: (data.series && data.series[role[0]]) || [],
        borderColor: colour,
        backgroundColor: colour,
        borderDash: role[3], // line style too: colour is never the only signal
        borderWidth: 2,
        pointRadius: 3,
        tension: 0.2,
      };
    });
    var box = canvas.parentElement;
    box.hidden = false;
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels || [], datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { min: 0, max: 100, ticks: { color: text }, grid: { color: grid } },
          x: { ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { color: grid } },
        },
        plugins: { legend: { labels: { color: text, usePointStyle: true } } },
      },
    });
    var table = document.querySelector("details.history-table");
    if (table) table.open = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
