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
 *  - InfluenceCRM.drawChart: the pages' Chart.js charts from the JSON they embed.
 *  - <button data-print> prints the page.
 */
(function () {
  "use strict";

  var MINUTE = 60 * 1000;
  var HOUR = 60 * MINUTE;
  var DAY = 24 * HOUR;

  function lang() {
    return document.documentElement.lang || undefined;
  }

  /** The page's words for scripts: <script type="application/json" id="i18n-strings"> in
      base.html, by key, in the page's language (the English text is the fallback). */
  var STRINGS = null;
  function t(key, fallback) {
    if (STRINGS === null) {
      try {
        var block = document.getElementById("i18n-strings");
        STRINGS = block ? JSON.parse(block.textContent) : {};
      } catch (e) {
        STRINGS = {};
      }
    }
    return STRINGS[key] || fallback;
  }

  /** Compact relative text for a moment in the page's language ("5 min ago", «5 мин. назад»),
      or a date when it is a month or more away. */
  function relativeText(date, now) {
    var diff = now - date.getTime();
    var abs = Math.abs(diff);
    var sign = diff < 0 ? 1 : -1;
    if (abs < 45 * 1000) return diff < 0 ? t("in a moment", "in a moment") : t("just now", "just now");
    if (abs < 30 * DAY && window.Intl && Intl.RelativeTimeFormat) {
      var format = new Intl.RelativeTimeFormat(lang(), { numeric: "always", style: "short" });
      if (abs < HOUR) return format.format(sign * Math.round(abs / MINUTE), "minute");
      if (abs < DAY) return format.format(sign * Math.round(abs / HOUR), "hour");
      return format.format(sign * Math.round(abs / DAY), "day");
    }
    {
      var sameYear = date.getFullYear() === new Date(now).getFullYear();
      try {
        return date.toLocaleDateString(lang(), sameYear
          ? { day: "numeric", month: "short" }
          : { day: "numeric", month: "short", year: "numeric" });
      } catch (e) {
        return date.toISOString().slice(0, 10);
      }
    }
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
    return t("{size} MB", "{size} MB").replace("{size}",
      (bytes / 1000000).toLocaleString(lang(), { maximumFractionDigits: 1 }));
  }

  /** The message for files over the input's data-max-bytes, or "" when they fit. */
  function uploadTooLarge(input) {
    var max = Number(input.getAttribute("data-max-bytes"));
    var total = 0;
    Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    if (!max || total <= max) return "";
    return t("upload too large", "These files are {total} together; the limit is {max}. " +
      "Compress them with gzip, import fewer at a time, or ask whoever runs the server to " +
      "import them there.").replace("{total}", formatMegabytes(total)).replace("{max}", formatMegabytes(max));
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

  /* ---------- Popovers: <details class="popover"><summary>…</summary><div class="popover-body">
     Without JavaScript the body opens below its summary (absolutely positioned). With it, the
     body is placed on the viewport (position: fixed, through the CSSOM, which the
     Content-Security-Policy allows), so a scrolling table box neither clips it nor grows a
     scrollbar; one popover is open at a time (and stays beside its summary when the page
     scrolls); Escape or a click elsewhere closes it. */

  function closePopovers(except) {
    Array.prototype.forEach.call(document.querySelectorAll("details.popover[open]"), function (el) {
      if (el !== except && !(except && el.contains(except))) el.removeAttribute("open");
    });
  }

  function placePopover(details) {
    var body = details.querySelector(".popover-body");
    var summary = details.querySelector("summary");
    if (!body || !summary) return;
    details.classList.add("is-placed");
    var anchor = summary.getBoundingClientRect();
    var width = Math.min(body.offsetWidth || 320, window.innerWidth - 16);
    var left = Math.max(8, Math.min(anchor.left, window.innerWidth - width - 8));
    var top = anchor.bottom + 4;
    var below = window.innerHeight - top - 8;
    if (body.offsetHeight > below && anchor.top > below) {
      top = Math.max(8, anchor.top - body.offsetHeight - 4); // more room above
    }
    body.style.left = left + "px";
    body.style.top = top + "px";
    body.style.maxHeight = Math.max(120, window.innerHeight - top - 8) + "px";
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.popover") || !details.open) return;
    closePopovers(details);
    placePopover(details);
  }, true);

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var inside = event.target.closest("details.popover");
    // a click outside closes them all; inside one, those it is not part of
    if (!inside) closePopovers(null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details.popover[open]");
    if (!open) return;
    closePopovers(null);
    var summary = open.querySelector("summary");
    if (summary) summary.focus();
  });
  // Scrolling the page or a table box keeps an open popover beside its summary.
  function replacePopovers(event) {
    var target = event && event.target;
    if (target && target.closest && target.closest("details.popover")) return; // its own body
    Array.prototype.forEach.call(document.querySelectorAll("details.popover[open]"), placePopover);
  }
  window.addEventListener("scroll", replacePopovers, true);
  window.addEventListener("resize", replacePopovers);

  /* ---------- Column picker: <details data-column-picker="NAME"> with checkboxes
     (name="column", value=KEY) for <table data-columns="NAME"> whose cells carry data-col=KEY.
     Until the reader chooses, the columns least needed are hidden while the table is wider than
     its box (FIT_ORDER); a choice is kept in localStorage for this browser. */

  var FIT_ORDER = ["degree", "platform", "community", "engagement", "contact", "sentiment"];

  function columnPicker(picker) {
    var name = picker.getAttribute("data-column-picker");
    var table = document.querySelector('table[data-columns="' + name + '"]');
    if (!table) return;
    var storageKey = "influence-crm:columns:" + name;
    var boxes = picker.querySelectorAll("input[type=checkbox][name=column]");

    function apply(hidden) {
      Array.prototype.forEach.call(boxes, function (box) {
        box.checked = hidden.indexOf(box.value) < 0;
      });
      Array.prototype.forEach.call(table.querySelectorAll("[data-col]"), function (cell) {
        cell.hidden = hidden.indexOf(cell.getAttribute("data-col")) >= 0;
      });
      table.setAttribute("data-hidden-columns", hidden.join(" "));
    }

    function fit() {
      var hidden = [];
      apply(hidden);
      var box = table.parentElement;
      for (var i = 0; i < FIT_ORDER.length && table.scrollWidth > box.clientWidth + 1; i++) {
        hidden.push(FIT_ORDER[i]);
        apply(hidden);
      }
    }

    function saved() {
      try {
        var value = JSON.parse(window.localStorage.getItem(storageKey));
        return Array.isArray(value) ? value : null;
      } catch (e) {
        return null;
      }
    }

    var choice = saved();
    if (choice) apply(choice); else fit();
    picker.hidden = false;

    picker.addEventListener("change", function () {
      var hidden = [];
      Array.prototype.forEach.call(boxes, function (box) {
        if (!box.checked) hidden.push(box.value);
      });
      apply(hidden);
      try { window.localStorage.setItem(storageKey, JSON.stringify(hidden)); } catch (e) { /* private mode */ }
    });
    var reset = picker.querySelector("[data-column-reset]");
    if (reset) {
      reset.addEventListener("click", function () {
        try { window.localStorage.removeItem(storageKey); } catch (e) { /* private mode */ }
        fit();
      });
    }
    var timer = null;
    window.addEventListener("resize", function () {
      if (saved()) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(fit, 150);
    });
  }

  /* ---------- Charts: the shared set-up of the pages' Chart.js charts (vendored UMD). */

  /** Draw a chart from the JSON a page embeds in <script type="application/json" id=dataId>
      on the <canvas id=canvasId>, showing its (hidden) box; return the chart, or null when
      Chart.js, the canvas or the data is missing (the page's table then says it all).
      lines: [{key, label, colour (a CSS variable), dash: [..], type: "bar"|"line"}], each
      key a list in the data (data.series[key] when the data has series), axis: "y2" to be
      read on the right-hand axis; options: {type, yMin, yMax, minPoints, integer (counts: no
      fractional ticks), y2: {min, max} (the right-hand axis)}. Lines differ by dash or fill as
      well as colour; bars are drawn behind lines. */
  function drawChart(dataId, canvasId, lines, options) {
    options = options || {};
    var source = document.getElementById(dataId);
    var canvas = document.getElementById(canvasId);
    if (!source || !canvas || !window.Chart) return null;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return null;
    }
    if (!data.labels || data.labels.length < (options.minPoints || 1)) return null;
    var style = getComputedStyle(document.documentElement);
    var text = style.getPropertyValue("--pico-muted-color").trim() || "#666";
    var grid = style.getPropertyValue("--pico-muted-border-color").trim() || "#ddd";
    var datasets = lines.map(function (line) {
      var colour = style.getPropertyValue(line.colour).trim() || "#2a6fdb";
      var values = (data.series ? data.series[line.key] : data[line.key]) || [];
      return {
        type: line.type || options.type || "line",
        label: line.label,
        data: values,
        borderColor: colour,
        backgroundColor: colour,
        borderDash: line.dash || [],
        borderWidth: 2,
        pointRadius: 3,
        spanGaps: false,
        tension: 0.2,
        yAxisID: line.axis || "y",
        order: (line.type || options.type) === "bar" ? 2 : 1,
      };
    });
    var y = { position: "left", ticks: { color: text }, grid: { color: grid } };
    if (options.yMin !== undefined) y.min = options.yMin;
    if (options.yMax !== undefined) y.max = options.yMax;
    if (options.integer) y.ticks.precision = 0;
    var scales = {
      y: y,
      x: { ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { color: grid } },
    };
    if (options.y2) {
      scales.y2 = { position: "right", min: options.y2.min, max: options.y2.max,
                    ticks: { color: text }, grid: { drawOnChartArea: false } };
    }
    canvas.parentElement.hidden = false;
    var chart = new window.Chart(canvas, {
      type: options.type || "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: { legend: { labels: { color: text, usePointStyle: true } } },
      },
    });
    // printing lays the page out anew (A4): let the chart take its printed width
    window.addEventListener("beforeprint", function () { chart.resize(); });
    window.addEventListener("afterprint", function () { chart.resize(); });
    return chart;
  }

  /** Run fn once the page is parsed. */
  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  /* A button with data-print prints the page (inline handlers are forbidden by the CSP). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  /* ---------- Compact navigation: below 48rem the main menu folds behind a Menu button. */

  function navigationMenu() {
    var button = document.querySelector("[data-nav-toggle]");
    var header = document.querySelector(".app-header");
    if (!button || !header) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function start() {
    document.documentElement.classList.add("js");
    Array.prototype.forEach.call(document.querySelectorAll("[data-column-picker]"), columnPicker);
    navigationMenu();
    enhanceTimes(document);
    window.setInterval(function () { enhanceTimes(document); }, MINUTE);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  window.InfluenceCRM = {
    enhanceTimes: enhanceTimes, relativeText: relativeText, t: t, drawChart: drawChart, ready: ready,
  };
})();
