/* Influence CRM — a campaign report's daily chart (InfluenceCRM.drawChart in app.js).
 *
 * Reads <script type="application/json" id="report-data"> ({labels: ["day 1", ...], series:
 * {before, during, people}, names: {...}}, the names already in the page's language) and
 * draws each day of the campaign beside the same day counted back before it (bars: solid
 * during, dashed outline before) and the campaign's people's mentions as a line. The table
 * under it has the same numbers; without JavaScript it is all there is.
 */
(function () {
  "use strict";
  var crm = window.InfluenceCRM;
  if (!crm || !crm.drawChart) return;

  crm.ready(function () {
    var source = document.getElementById("report-data");
    if (!source) return;
    var names = {};
    try {
      names = JSON.parse(source.textContent).names || {};
    } catch (e) {
      return;
    }
    var chart = crm.drawChart("report-data", "report-chart", [
      { key: "before", label: names.before, colour: "--pico-muted-color", dash: [4, 3], type: "bar" },
      { key: "during", label: names.during, colour: "--badge-leader-fg", type: "bar" },
      { key: "people", label: names.people, colour: "--badge-positive-fg", dash: [6, 3], type: "line" },
    ], { type: "bar", yMin: 0, integer: true });
    if (chart) {
      // "before" bars: an outline only, so that the two phases differ by more than colour
      chart.data.datasets[0].backgroundColor = "transparent";
      chart.update();
    }
  });
})();
