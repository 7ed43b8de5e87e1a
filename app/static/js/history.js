/* Influence CRM — the author page's score history chart (InfluenceCRM.drawChart in app.js).
 *
 * Reads the data the page embeds as JSON in <script type="application/json"
 * id="score-history-data"> ({labels: [...], series: {networker: [...], ...}}), draws one line
 * per role score, then folds the table fallback away (it stays one click away).
 * Without JavaScript (or Chart.js) the table is all there is, and it is open.
 */
(function () {
  "use strict";
  var crm = window.InfluenceCRM;
  if (!crm || !crm.drawChart) return;
  var tr = function (text) { return crm.t(text, text); };

  crm.ready(function () {
    var chart = crm.drawChart("score-history-data", "score-history-chart", [
      { key: "networker", label: tr("Networker"), colour: "--badge-networker-fg" },
      { key: "thought_leader", label: tr("Thought leader"), colour: "--badge-leader-fg", dash: [6, 3] },
      { key: "trendsetter", label: tr("Trendsetter"), colour: "--badge-trend-fg", dash: [2, 2] },
      { key: "amplifier", label: tr("Amplifier"), colour: "--badge-amplifier-fg", dash: [10, 3, 2, 3] },
    ], { yMin: 0, yMax: 100 });
    var table = document.querySelector("details.history-table");
    if (chart && table) table.open = false;
  });
})();
