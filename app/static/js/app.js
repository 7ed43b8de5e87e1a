/* Influence CRM — small progressive enhancements. Every page works without this file.
 *
 *  - <time datetime="..."> becomes relative ("3 h ago", "in 2 d"), the exact time stays in
 *    its title; refreshed every minute and after every htmx swap. Opt out: data-no-relative.
 *  - <form data-confirm="Delete this?"> (or a submit button / link with data-confirm)
 *    asks before going on.
 *  - <form data-autosubmit> submits itself when one of its selects or checkboxes changes
 *    (filter bars); text inputs still need Enter or the button.
 *  - htmx requests carry the CSRF token from <meta name="csrf-token">.
 */
(function () {
  "use strict";

  var MINUTE = 60 * 1000;
  var HOUR = 60 * MINUTE;
  var DAY = 24 * HOUR;

  function lang() {
    return document.documentElement.lang || undefined;
  }

  /** Compact relative text for a moment, e.g. "just now", "5 min ago", "in 3 h", or a date. */
  function relativeText(date, now) {
    var diff = now - date.getTime();
    var future = diff < 0;
    var abs = Math.abs(diff);
    var text;
    if (abs < 45 * 1000) return future ? "in a moment" : "just now";
    if (abs < HOUR) text = Math.round(abs / MINUTE) + " min";
    else if (abs < DAY) text = Math.round(abs / HOUR) + " h";
    else if (abs < 30 * DAY) text = Math.round(abs / DAY) + " d";
    else {
      var sameYear = date.getFullYear() === new Date(now).getFullYear();
      try {
        return date.toLocaleDateString(lang(), sameYear
          ? { day: "numeric", month: "short" }
          : { day: "numeric", month: "short", year: "numeric" });
      } catch (e) {
        return date.toISOString().slice(0, 10);
      }
    }
    return future ? "in " + text : text + " ago";
  }

  function enhanceTimes(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var times = scope.querySelectorAll("time[datetime]:not([data-no-relative])");
    if (scope.matches && scope.matches("time[datetime]:not([data-no-relative])")) {
      times = [scope].concat(Array.prototype.slice.call(times));
    }
    var now = Date.now();
    Array.prototype.forEach.call(times, function (el) {
      var value = el.getAttribute("datetime");
      if (!value || value.indexOf("T") < 0) return; // a plain date stays a date
      var date = new Date(value);
      if (isNaN(date.getTime())) return;
      if (!el.hasAttribute("title")) {
        el.setAttribute("title", date.toLocaleString(lang()));
      }
      var text = relativeText(date, now);
      if (el.textContent !== text) el.textContent = text;
    });
  }

  function confirmMessage(el) {
    return el && el.getAttribute ? el.getAttribute("data-confirm") : null;
  }

  // Capture phase: runs before htmx's own listeners, so a cancelled confirm stops them too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = confirmMessage(event.submitter) || confirmMessage(form);
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-confirm]");
    if (!link) return;
    if (!window.confirm(link.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field.form;
    if (!form || !form.hasAttribute("data-autosubmit")) return;
    if (field.matches("select, input[type=checkbox], input[type=radio], input[type=date]")) {
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && event.detail && event.detail.headers) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // New content from htmx: enhance it like the first page load.
  document.addEventListener("htmx:load", function (event) {
    enhanceTimes(event.target);
  });

  function start() {
    enhanceTimes(document);
    window.setInterval(function () { enhanceTimes(document); }, MINUTE);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  window.InfluenceCRM = { enhanceTimes: enhanceTimes, relativeText: relativeText };
})();
