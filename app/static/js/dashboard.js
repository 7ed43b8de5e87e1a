/* Influence CRM — the dashboard's chart (InfluenceCRM.drawChart in app.js).
 *
 * Reads the data the page embeds as JSON in <script type="application/json" id="dashboard-data">
 * ({labels: [days], mentions: [...], score: [...], net_sentiment: [...]}, net sentiment ×100)
 * and draws the mentions per day as bars on the left axis, the advocacy score and net sentiment
 * as lines (told apart by dash as well as colour) on the right axis from -100 to 100. Without
 * JavaScript the table of the same numbers is all there is.
 */
(function () {
  "use strict";
  var crm = window.InfluenceCRM;
  if (!crm || !crm.drawChart) return;
  var tr = function (text) { return crm.t(text, text); };

  crm.ready(function () {
    crm.drawChart("dashboard-data", "dashboard-chart", [
      { key: "mentions", label: tr("Mentions"), colour: "--pico-muted-color", type: "bar" },
      { key: "score", label: tr("Advocacy score"), colour: "--badge-positive-fg", axis: "y2" },
      { key: "net_sentiment", label: tr("Net sentiment ×100"), colour: "--badge-negative-fg", dash: [2, 2], axis: "y2" },
    ], { integer: true, yMin: 0, y2: { min: -100, max: 100 }, minPoints: 2 }); // one day: the table says it all
  });
})();
