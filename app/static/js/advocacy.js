/* Influence CRM — the advocacy page's weekly chart (InfluenceCRM.drawChart in app.js).
 *
 * Reads the data the page embeds as JSON in <script type="application/json" id="advocacy-data">
 * ({labels: [...], score: [...], score_reach_weighted: [...], net_sentiment: [...]}, net
 * sentiment ×100 so that the three share one axis from -100 to 100) and draws one line each,
 * told apart by dash as well as colour. Without JavaScript the weekly table is all there is.
 */
(function () {
  "use strict";
  var crm = window.InfluenceCRM;
  if (!crm || !crm.drawChart) return;
  var tr = function (text) { return crm.t(text, text); };

  crm.ready(function () {
    crm.drawChart("advocacy-data", "advocacy-chart", [
      { key: "score", label: tr("Advocacy score"), colour: "--badge-positive-fg" },
      { key: "score_reach_weighted", label: tr("Reach-weighted score"), colour: "--badge-leader-fg", dash: [6, 3] },
      { key: "net_sentiment", label: tr("Net sentiment ×100"), colour: "--badge-negative-fg", dash: [2, 2] },
    ], { yMin: -100, yMax: 100, minPoints: 2 }); // one week: the table says it all
  });
})();
