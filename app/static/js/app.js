/* Influence CRM — small progressive enhancements. Every page works without this file.
 *
 *  - <time datetime="..."> becomes relative ("3 h ago", "in 2 d"), the exact time stays in
 *    its title; refreshed every minute and after every htmx swap. Opt out: data-no-relative.
 *  - <form data-confirm="Delete this?"> (or a submit button / link with data-confirm)
 *    asks before going on.
 *  - <form data-autosubmit> submits itself when one of its selects or checkboxes changes
 *    (filter bars); text inputs still need Enter or the button.
 *  - htmx requests carry the CSRF token from <meta name="csrf-token">.
 *  - <input type="file" data-max-bytes="200000000"> stops its form before sending files
 *    larger than the server takes, and says so (the server refuses them anyway, but a
 *    browser cut off mid-upload shows a bare "connection reset").
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

  function formatMegabytes(bytes) {
    return (bytes / 1000000).toLocaleString(lang(), { maximumFractionDigits: 1 }) + " MB";
  }

  /** The message for files over the input's data-max-bytes, or "" when they fit. */
  function uploadTooLarge(input) {
    var max = Number(input.getAttribute("data-max-bytes"));
    var total = 0;
    Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    if (!max || total <= max) return "";
    return "These files are " + formatMegabytes(total) + " together; the limit is " +
      formatMegabytes(max) + ". Compress them with gzip, import fewer at a time, " +
      "or use the command line.";
  }

  function showUploadProblem(input, message) {
    var id = input.id + "-size-error";
    var note = document.getElementById(id);
    if (!message) {
      if (note) note.remove();
      input.removeAttribute("aria-invalid");
      return;
    }
    if (!note) {
      note = document.createElement("small");
      note.id = id;
      note.className = "field-error";
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    input.setAttribute("aria-invalid", "true");
  }

  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    Array.prototype.forEach.call(inputs, function (input) {
      var message = uploadTooLarge(input);
      showUploadProblem(input, message);
      if (message) {
        event.preventDefault();
        input.focus();
      }
    });
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-max-bytes]")) {
      showUploadProblem(event.target, uploadTooLarge(event.target));
    }
  });

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
