/* Influence CRM — the mentions list: select many mentions, set their sentiment at once, and
 * work the list from the keyboard. Without this file the list still works: tick the rows'
 * checkboxes (they belong to the form#bulk-sentiment above the table) and press "Set on
 * selected".
 *
 *  - "Select all on this page" ticks every row; the form says how many are selected.
 *  - j / k: next / previous mention (the row gets the focus and a frame)
 *  - x: select or unselect the current mention
 *  - p / n / u: positive / negative / neutral for the selected mentions, or the current one
 *    when none is selected (one POST of the bulk form)
 *  - ?: the list of shortcuts (dialog#mention-shortcuts)
 * Keys typed into a field, or with Ctrl, Alt or Meta, are left alone.
 */
(function () {
  "use strict";

  var LABELS = { p: "positive", n: "negative", u: "neutral" };

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("table.mentions tbody tr"));
  }

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("input.select-mention"));
  }

  function box(row) {
    return row ? row.querySelector("input.select-mention") : null;
  }

  function current() {
    return document.querySelector("table.mentions tbody tr.is-current");
  }

  function showCount() {
    var all = boxes();
    var selected = all.filter(function (b) { return b.checked; }).length;
    var count = document.querySelector("[data-selected-count]");
    if (count) {
      var t = window.InfluenceCRM && window.InfluenceCRM.t ? window.InfluenceCRM.t : function (k, f) { return f; };
      count.textContent = selected === 0
        ? t("Tick mentions to set their sentiment together.", "Tick mentions to set their sentiment together.")
        : t("{count} selected", "{count} selected").replace("{count}", selected);
    }
    var every = document.querySelector("[data-select-all]");
    if (every) {
      every.checked = all.length > 0 && selected === all.length;
      every.indeterminate = selected > 0 && selected < all.length;
    }
  }

  function moveTo(row) {
    if (!row) return;
    var before = current();
    if (before) before.classList.remove("is-current");
    row.classList.add("is-current");
    row.setAttribute("tabindex", "-1");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function step(by) {
    var all = rows();
    if (!all.length) return;
    var at = all.indexOf(current());
    if (at < 0) moveTo(all[by > 0 ? 0 : all.length - 1]);
    else moveTo(all[Math.min(Math.max(at + by, 0), all.length - 1)]);
  }

  function toggleCurrent() {
    var b = box(current());
    if (!b) return;
    b.checked = !b.checked;
    showCount();
  }

  function label(value) {
    var form = document.getElementById("bulk-sentiment");
    if (!form) return;
    if (!boxes().some(function (b) { return b.checked; })) {
      var b = box(current());
      if (!b) return;
      b.checked = true;
    }
    form.querySelector("select[name=sentiment]").value = value;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function showShortcuts() {
    var dialog = document.getElementById("mention-shortcuts");
    if (dialog && !dialog.open && dialog.showModal) dialog.showModal();
  }

  var NOT_TYPED = ["checkbox", "radio", "button", "submit", "reset"];

  /** Whether keys pressed on ``target`` are meant for it: text fields, lists, an open dialog
   * (a closed one may keep the focus for a moment after Escape). */
  function typing(target) {
    if (!target || !target.closest) return false;
    if (target.closest("select, textarea, [contenteditable], dialog[open]")) return true;
    return target.matches("input") && NOT_TYPED.indexOf(target.type) < 0;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
    if (typing(event.target)) return;
    var key = event.key;
    if (key === "j") step(1);
    else if (key === "k") step(-1);
    else if (key === "x") toggleCurrent();
    else if (LABELS[key]) label(LABELS[key]);
    else if (key === "?") showShortcuts();
    else return;
    event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-select-all]")) {
      boxes().forEach(function (b) { b.checked = target.checked; });
      showCount();
    } else if (target.matches("input.select-mention")) {
      showCount();
    }
  });

  // A click in a row makes it the current one (links and fields keep their own behaviour).
  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("table.mentions tbody tr");
    if (row && !typing(event.target) && !event.target.closest("a, button")) moveTo(row);
  });

  function start() {
    if (!document.getElementById("bulk-sentiment")) return;
    document.querySelectorAll(".select-all[hidden], [data-shortcuts-open][hidden]").forEach(
      function (el) { el.hidden = false; }
    );
    var open = document.querySelector("[data-shortcuts-open]");
    if (open) open.addEventListener("click", showShortcuts);
    showCount();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
