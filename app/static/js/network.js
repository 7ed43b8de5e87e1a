/* Influence CRM — the network page: the author graph drawn with sigma.js on graphology, laid
 * out by ForceAtlas2 in a web worker.
 *
 *  - The data comes from <div id="network" data-url> (network.json) with the page's own
 *    query string; the filters form rewrites the URL (every view is a URL) and reloads it.
 *  - Colour by role or by community (the legend names them; the selected person's panel says
 *    their role in words); size by the best role score.
 *  - Click a person: their details in the panel and their ties highlighted; double-click opens
 *    their author page. "Find a person" does the same from the keyboard.
 *  - ForceAtlas2 runs a few seconds from positions grouped by community, then stops; edges
 *    are hidden while it runs on big graphs, and while the camera moves.
 *  - From data-points-from people on (500 when WebGL runs on the CPU), dots are drawn as GL
 *    points and ties as 1-px GL lines (sigma's NodePointProgram and EdgeLineProgram): without
 *    a strong GPU, sigma's discs and thick ties cost ten times as much per frame
 *    (bench/RESULTS.md).
 *  - User data (handles, names, community names) only ever goes through textContent.
 *  - window.networkView exposes the figures (node count, first render, layout iterations/s)
 *    for the browser test and bench/network.py.
 *  - On other pages, <div data-network-mini data-url="...network.json?ego=ID"> draws an
 *    author's neighbourhood (see initMini).
 */
(function () {
  "use strict";

  var ROLES = {
    networker: { icon: "⇄", label: tr("Networker"), color: "#2a6fdb" },
    thought_leader: { icon: "★", label: tr("Thought leader"), color: "#9b3fc2" },
    trendsetter: { icon: "↗", label: tr("Trendsetter"), color: "#d9730d" },
    amplifier: { icon: "↻", label: tr("Amplifier"), color: "#0f9b8e" },
    user: { icon: "○", label: tr("User"), color: "#8a94a3" }
  };
  var SCORES = [
    ["networker", tr("Networker")], ["thought_leader", tr("Thought leader")],
    ["trendsetter", tr("Trendsetter")], ["amplifier", tr("Amplifier")]
  ];
  // Twelve colours told apart in both schemes; the rest of the communities share a grey.
  var COMMUNITY_COLORS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939"
  ];
  var OTHER_COLOR = "#b3bac5";
  var DEFAULT_MIN_DEGREE = "1";
  var ALL_KINDS = ["mention", "reply", "repost", "quote"];

  var root, container, statusBox, countsBox, details, legend, form, relayout;
  var stats = {
    nodes: 0, edges: 0, ready: false, fetchMs: null, buildMs: null, firstRenderMs: null,
    renderMs: null, frameMs: null, copyMs: null, drawing: null, softwareWebGL: null, layoutIterations: 0, layoutSeconds: 0, iterationsPerSecond: null, layoutRunning: false
  };
  var state = {
    graph: null, renderer: null, layout: null, data: null, selected: null,
    neighbours: null, color: "role", communityColor: {}, communityName: {},
    layoutTimer: null, layoutCopier: null, layoutGraph: null, layoutStart: 0, hideEdgesInLayout: false, edgesHidden: false, request: 0, loadedQuery: null
  };

  var number = new Intl.NumberFormat(document.documentElement.lang || "en");
  function fmt(n) { return n === null || n === undefined ? "—" : number.format(n); }
  // The page's words (app.js reads them from base.html); English is the fallback.
  function tr(text) {
    return window.InfluenceCRM && window.InfluenceCRM.t ? window.InfluenceCRM.t(text, text) : text;
  }
  // "3 people" in the page's language: the forms by CLDR plural category (one, few, many, other).
  var pluralRules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  function plural(n, one, many) {
    var forms = window.InfluenceCRM && window.InfluenceCRM.t ? window.InfluenceCRM.t(one + "|" + many, null) : null;
    var form = n === 1 ? one : many;
    if (forms && pluralRules) form = forms[pluralRules.select(n)] || forms.other || form;
    return fmt(n) + " " + form;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setStatus(text) {
    statusBox.textContent = text || "";
    statusBox.hidden = !text;
  }

  // ---------- the URL is the view ----------

  function formParams() {
    var params = new URLSearchParams();
    var data = new FormData(form);
    var kinds = data.getAll("kind");
    data.forEach(function (value, key) {
      value = String(value).trim();
      if (!value || key === "kind") return;
      if (key === "min_degree" && value === DEFAULT_MIN_DEGREE) return;
      if (key === "color" && value === "role") return;
      params.append(key, value);
    });
    if (kinds.length && kinds.length < ALL_KINDS.length) {
      kinds.forEach(function (kind) { params.append("kind", kind); });
    }
    return params;
  }

  function syncForm(params) {
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name) return;
      if (input.type === "checkbox") {
        var chosen = params.getAll(input.name);
        input.checked = !chosen.length || chosen.join(",").split(",").indexOf(input.value) >= 0;
      } else if (input.name === "color") {
        input.value = params.get("color") === "community" ? "community" : "role";
      } else if (input.name === "min_degree") {
        input.value = params.get("min_degree") || DEFAULT_MIN_DEGREE;
      } else if (input.type !== "hidden" && input.type !== "submit") {
        input.value = params.get(input.name) || "";
      }
    });
  }

  function dataQuery(params) {
    var copy = new URLSearchParams(params);
    copy.delete("color");
    var text = copy.toString();
    return text ? "?" + text : "";
  }

  function updateDownloads(params) {
    // the export form posts the view's filters as one query string
    document.getElementById("export-view").value = dataQuery(params).replace(/^\?/, "");
  }

  // ---------- loading ----------

  function load() {
    var params = new URLSearchParams(window.location.search);
    state.color = params.get("color") === "community" ? "community" : "role";
    updateDownloads(params);
    var request = ++state.request;
    var started = performance.now();
    setStatus(tr("Loading the graph…"));
    root.dataset.state = "loading";
    fetch(root.dataset.url + dataQuery(params), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; },
        function () { return { ok: false, body: { error: "the server answered " + response.status } }; });
    }).then(function (result) {
      if (request !== state.request) return; // a newer view was asked for meanwhile
      stats.fetchMs = Math.round(performance.now() - started);
      if (!result.ok) {
        var errors = result.body.errors || [result.body.error || tr("the graph could not be loaded")];
        setStatus(tr("Filters not applied:") + " " + errors.join("; ") + ".");
        root.dataset.state = "error";
        return;
      }
      state.loadedQuery = dataQuery(params);
      show(result.body);
    }).catch(function () {
      if (request !== state.request) return;
      setStatus(tr("The graph could not be loaded: check the connection and reload the page."));
      root.dataset.state = "error";
    });
  }

  function show(data) {
    var started = performance.now();
    stopLayout();
    if (state.renderer) { state.renderer.kill(); state.renderer = null; }
    state.data = data;
    state.selected = null;
    state.neighbours = null;
    state.graph = buildGraph(data);
    stats.nodes = state.graph.order;
    stats.edges = state.graph.size;
    root.dataset.nodes = String(stats.nodes);
    root.dataset.edges = String(stats.edges);
    showCounts(data);
    renderLegend();
    fillHandles(data);
    showDetails(null);
    if (!state.graph.order) {
      setStatus(tr("No one matches these filters. Lower the minimum number of partners, widen the dates, tick more kinds of ties or clear the topic."));
      root.dataset.state = "empty";
      relayout.disabled = true;
      stats.ready = true;
      return;
    }
    // Big graphs are drawn without their edges until the layout has run: every frame of
    // 100,000 edges costs, and without a GPU it takes the CPU the layout needs.
    state.hideEdgesInLayout = state.graph.size > 8000;
    state.edgesHidden = state.hideEdgesInLayout;
    if (!draw()) return;
    stats.buildMs = Math.round(performance.now() - started);
    setStatus("");
    relayout.disabled = false;
    stats.ready = true;
    runLayout();
  }

  function showCounts(data) {
    var c = data.counts;
    var text = plural(c.nodes, "person", "people") + ", " + plural(c.edges, "tie", "ties");
    if (data.truncated) {
      text += "; " + tr("showing the {shown} best connected ({dropped} left out: raise the minimum number of partners or narrow the filters to see them)")
        .replace("{shown}", fmt(c.shown_nodes)).replace("{dropped}", fmt(data.dropped));
    }
    countsBox.textContent = text + ".";
  }

  // ---------- the graph ----------

  function nodeColor(attrs) {
    if (state.color === "community") {
      return state.communityColor[attrs.community] || OTHER_COLOR;
    }
    return (ROLES[attrs.role] || ROLES.user).color;
  }

  function buildGraph(data) {
    var graph = new graphology.DirectedGraph();
    state.communityColor = {};
    state.communityName = {};
    (data.communities || []).forEach(function (c, i) {
      if (i < COMMUNITY_COLORS.length) state.communityColor[c.id] = COMMUNITY_COLORS[i];
      state.communityName[c.id] = c.name;
    });
    // Start from a map of the communities: each a disc whose area is its size, packed along a
    // golden-angle spiral, largest in the middle; people without one on a ring outside.
    // ForceAtlas2 then only refines, which matters at 20,000 nodes (a few iterations a second).
    var n = data.nodes.length, unit = 10;
    var minSize = n > 5000 ? 1 : 2.5, maxSize = n > 5000 ? 9 : 16;
    var discs = {}, area = 0, golden = Math.PI * (3 - Math.sqrt(5));
    (data.communities || []).forEach(function (c, k) {
      var radius = unit * Math.sqrt(c.shown);
      var distance = unit * Math.sqrt(area + c.shown / 2) * 1.6;
      area += c.shown;
      discs[c.id] = { x: distance * Math.cos(k * golden), y: distance * Math.sin(k * golden), r: radius };
    });
    var outer = unit * Math.sqrt(area + 1) * 1.6 + unit * 5;
    data.nodes.forEach(function (node, i) {
      var disc = discs[node.community], angle = 2 * Math.PI * Math.random(), x, y;
      if (disc) {
        var d = disc.r * Math.sqrt(Math.random());
        x = disc.x + d * Math.cos(angle);
        y = disc.y + d * Math.sin(angle);
      } else {
        var r = outer + unit * 3 * Math.random();
        x = r * Math.cos(angle);
        y = r * Math.sin(angle);
      }
      var attrs = {
        i: i,
        label: node.handle,
        role: node.role,
        community: node.community,
        best: node.best,
        size: minSize + (maxSize - minSize) * Math.pow(Math.max(0, Math.min(100, node.best)) / 100, 1.5),
        x: x,
        y: y
      };
      attrs.color = nodeColor(attrs);
      graph.addNode(String(node.id), attrs);
    });
    data.edges.forEach(function (edge) {
      var s = String(edge.source), t = String(edge.target), key = s + ">" + t;
      if (graph.hasEdge(key)) {
        graph.updateEdgeAttributes(key, function (a) {
          a.weight += edge.weight;
          a.kinds[edge.kind] = (a.kinds[edge.kind] || 0) + edge.weight;
          return a;
        });
      } else {
        var kinds = {};
        kinds[edge.kind] = edge.weight;
        graph.addDirectedEdgeWithKey(key, s, t, { weight: edge.weight, kinds: kinds });
      }
    });
    graph.forEachEdge(function (key, a) {
      graph.setEdgeAttribute(key, "size", 0.6 + Math.min(3, Math.log(1 + a.weight)));
    });
    return graph;
  }

  function darkScheme() {
    var theme = document.documentElement.getAttribute("data-theme");
    if (theme) return theme === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  // The size from which dots are GL points: data-points-from, or 500 when WebGL is drawn by
  // the CPU (SwiftShader, llvmpipe: no GPU, as in many VMs and remote desktops), where discs
  // cost ~0.4 s a frame already at 3,000 people.
  function pointsFrom() {
    var value = parseInt(root.dataset.pointsFrom, 10) || 3000;
    return softwareWebGL() ? Math.min(500, value) : value;
  }

  var softwareRenderer = null;
  function softwareWebGL() {
    if (softwareRenderer === null) {
      softwareRenderer = false;
      try {
        var gl = document.createElement("canvas").getContext("webgl");
        var info = gl && gl.getExtension("WEBGL_debug_renderer_info");
        var name = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : "";
        softwareRenderer = /swiftshader|llvmpipe|softpipe|software/i.test(name);
        var lose = gl && gl.getExtension("WEBGL_lose_context");
        if (lose) lose.loseContext();
      } catch (error) {
        softwareRenderer = false;
      }
    }
    return softwareRenderer;
  }

  function draw() {
    var graph = state.graph, big = graph.order > 3000, points = graph.order >= pointsFrom();
    var dark = darkScheme();
    var edgeColor = dark ? "rgba(175, 185, 200, 0.45)" : "rgba(80, 90, 105, 0.45)";
    var faded = dark ? "#3a404a" : "#e3e6eb";
    var settings = {
      defaultEdgeColor: edgeColor,
      defaultEdgeType: graph.size <= 10000 ? "arrow" : "line", // arrows cost half as much again
      labelColor: { color: getComputedStyle(document.body).color || (dark ? "#eee" : "#222") },
      labelFont: "system-ui, sans-serif",
      labelSize: 12,
      labelDensity: big ? 0.35 : 0.7,
      labelGridCellSize: 120,
      labelRenderedSizeThreshold: big ? 10 : 6,
      hideEdgesOnMove: big,
      hideLabelsOnMove: big,
      minCameraRatio: 0.02,
      maxCameraRatio: 5,
      nodeReducer: function (node, attrs) {
        if (state.selected === null) return attrs;
        if (node === state.selected) {
          return Object.assign({}, attrs, { highlighted: true, forceLabel: true, zIndex: 2 });
        }
        if (state.neighbours.has(node)) return Object.assign({}, attrs, { forceLabel: graph.degree(state.selected) <= 30 });
        return Object.assign({}, attrs, { color: faded, label: "" });
      },
      edgeReducer: function (edge, attrs) {
        if (state.selected !== null) {
          return graph.hasExtremity(edge, state.selected)
            ? Object.assign({}, attrs, { color: dark ? "#c9d1dc" : "#5a6473", zIndex: 1 })
            : Object.assign({}, attrs, { hidden: true });
        }
        if (state.edgesHidden) return Object.assign({}, attrs, { hidden: true });
        return attrs;
      }
    };
    if (points) {
      settings.defaultEdgeType = "line";
      settings.nodeProgramClasses = { circle: Sigma.rendering.NodePointProgram };
      settings.edgeProgramClasses = { line: Sigma.rendering.EdgeLineProgram };
    }
    stats.drawing = points ? "points" : "discs";
    var thickTies = document.getElementById("network-thick-ties");
    if (thickTies) thickTies.hidden = points; // GL lines are all one pixel wide
    stats.softwareWebGL = softwareWebGL();
    try {
      state.renderer = new Sigma(graph, container, settings);
    } catch (error) {
      setStatus("");
      document.getElementById("network-fallback").hidden = false;
      root.dataset.state = "no-webgl";
      return false;
    }
    var renderer = state.renderer;
    renderer.once("afterRender", function () {
      if (stats.firstRenderMs === null) stats.firstRenderMs = Math.round(performance.now());
    });
    var renderStart = 0;
    renderer.on("beforeRender", function () { renderStart = performance.now(); });
    renderer.on("afterRender", function () { stats.renderMs = Math.round(performance.now() - renderStart); });
    renderer.on("clickNode", function (e) { select(e.node, false); });
    renderer.on("clickStage", function () { select(null, false); });
    renderer.on("doubleClickNode", function (e) {
      e.preventSigmaDefault();
      window.location.href = root.dataset.authorBase + encodeURIComponent(e.node);
    });
    renderer.on("enterNode", function () { container.style.cursor = "pointer"; });
    renderer.on("leaveNode", function () { container.style.cursor = ""; });
    return true;
  }

  function recolour() {
    if (!state.graph) return;
    state.graph.updateEachNodeAttributes(function (node, attrs) {
      attrs.color = nodeColor(attrs);
      return attrs;
    }, { attributes: ["color"] });
    renderLegend();
  }

  // ---------- layout ----------

  // The worker lays out a bare copy of the graph (positions and weights only) as fast as it
  // can; the drawn graph takes the copy's positions a few times a second. Tied directly to the
  // drawn graph, every iteration would wait for a full redraw (a few per second at 20,000 nodes
  // on a laptop without a GPU).
  function runLayout() {
    var FA2 = window.graphologyLayoutForceAtlas2, graph = state.graph;
    if (!FA2 || !graph || !graph.order) return;
    stopLayout();
    var copy = new graphology.DirectedGraph();
    graph.forEachNode(function (key, a) { copy.addNode(key, { x: a.x, y: a.y, size: a.size }); });
    graph.forEachEdge(function (key, a, source, target) {
      copy.addDirectedEdgeWithKey(key, source, target, { weight: a.weight });
    });
    var settings = FA2.forceAtlas2.inferSettings(copy);
    settings.barnesHutOptimize = copy.order > 1000;
    settings.barnesHutTheta = copy.order > 5000 ? 1.2 : 0.6; // Gephi's 1.2: 3x faster at 20,000
    settings.adjustSizes = false;
    settings.edgeWeightInfluence = 0.5;
    try {
      state.layout = new FA2.FA2Layout(copy, { settings: settings, getEdgeWeight: "weight" });
    } catch (error) {
      return; // no workers: the starting positions stay
    }
    state.layoutGraph = copy;
    var seconds = Math.min(10, 2 + graph.order / 2500);
    stats.layoutIterations = 0;
    state.layoutStart = performance.now();
    copy.on("eachNodeAttributesUpdated", countIteration);
    stats.layoutRunning = true;
    root.dataset.layout = "running";
    relayout.textContent = tr("Stop layout");
    state.layout.start();
    if (state.hideEdgesInLayout && !state.edgesHidden && state.renderer) {
      state.edgesHidden = true;
      state.renderer.refresh();
    }
    scheduleCopy();
    state.layoutTimer = window.setTimeout(stopLayout, seconds * 1000);
  }

  function countIteration() {
    stats.layoutIterations++; // FA2Layout writes the copy's positions once per iteration
  }

  // Redraw at most a third of the time, measured as the wall time of a whole frame: the main
  // thread (and, without a GPU, the CPU that draws: a second per frame of 20,000 nodes in
  // software WebGL) must stay free to feed the worker. With a GPU that is ~6 frames a second.
  function scheduleCopy() {
    state.layoutCopier = window.setTimeout(function () {
      state.layoutCopier = null;
      copyPositions();
      measureFrame().then(function () {
        if (state.layout && !state.layoutCopier) scheduleCopy();
      });
    }, Math.max(150, 2 * (stats.frameMs || 0)));
  }

  function measureFrame() {
    var started = performance.now();
    return new Promise(function (resolve) {
      window.requestAnimationFrame(function () {
        window.requestAnimationFrame(function () {
          stats.frameMs = Math.round(performance.now() - started);
          resolve(stats.frameMs);
        });
      });
    });
  }

  // Note every frame sigma draws during the next ``ms`` (a drag or zoom by the user, or by
  // bench/network.py); resolve with how many and the median time between two.
  function recordFrames(ms) {
    var renderer = state.renderer;
    if (!renderer) return Promise.resolve(null);
    var times = [];
    function note() { times.push(performance.now()); }
    renderer.on("afterRender", note);
    return new Promise(function (resolve) {
      window.setTimeout(function () {
        renderer.off("afterRender", note);
        var gaps = [];
        for (var i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
        gaps.sort(function (a, b) { return a - b; });
        resolve({ frames: times.length, medianMs: gaps.length ? Math.round(gaps[gaps.length >> 1]) : null });
      }, ms);
    });
  }

  function copyPositions() {
    var copy = state.layoutGraph;
    if (!copy || !state.graph) return;
    var started = performance.now();
    state.graph.updateEachNodeAttributes(function (key, a) {
      var b = copy.getNodeAttributes(key);
      a.x = b.x;
      a.y = b.y;
      return a;
    }, { attributes: ["x", "y"] });
    stats.copyMs = Math.round(performance.now() - started);
  }

  function stopLayout() {
    if (state.layoutTimer) { window.clearTimeout(state.layoutTimer); state.layoutTimer = null; }
    if (state.layoutCopier) { window.clearTimeout(state.layoutCopier); state.layoutCopier = null; }
    if (!state.layout) return;
    state.layout.kill();
    state.layout = null;
    copyPositions();
    state.layoutGraph.removeListener("eachNodeAttributesUpdated", countIteration);
    state.layoutGraph = null;
    stats.layoutSeconds = (performance.now() - state.layoutStart) / 1000;
    stats.iterationsPerSecond = stats.layoutSeconds > 0
      ? Math.round(stats.layoutIterations / stats.layoutSeconds * 10) / 10 : null;
    stats.layoutRunning = false;
    state.edgesHidden = false;
    root.dataset.layout = "done";
    relayout.textContent = tr("Re-run layout");
    if (state.renderer) state.renderer.refresh();
  }

  // ---------- selection and details ----------

  function select(node, moveCamera) {
    var graph = state.graph;
    state.selected = node !== null && graph && graph.hasNode(node) ? node : null;
    state.neighbours = state.selected === null ? null : new Set(graph.neighbors(state.selected));
    showDetails(state.selected);
    if (state.renderer) {
      state.renderer.refresh({ skipIndexation: true });
      if (moveCamera && state.selected !== null) {
        var position = state.renderer.getNodeDisplayData(state.selected);
        if (position) state.renderer.getCamera().animate({ x: position.x, y: position.y, ratio: 0.25 }, { duration: 400 });
      }
    }
  }

  function showDetails(key) {
    details.replaceChildren();
    if (key === null) {
      details.appendChild(el("p", "muted", tr("Click a person to see their role and scores; double-click opens their page.")));
      return;
    }
    var node = state.data.nodes[state.graph.getNodeAttribute(key, "i")];
    var url = root.dataset.authorBase + encodeURIComponent(node.id);
    var title = el("h3", "node-handle");
    var link = el("a", null, node.handle);
    link.href = url;
    link.setAttribute("dir", "auto");
    title.appendChild(link);
    details.appendChild(title);
    if (node.name) {
      var name = el("p", "muted node-name", node.name);
      name.setAttribute("dir", "auto");
      details.appendChild(name);
    }
    var role = ROLES[node.role] || { icon: "?", label: node.role };
    var badge = el("span", "badge role role-" + (ROLES[node.role] ? node.role.replace("_", "-") : "other"));
    badge.appendChild(el("span", "badge-icon", role.icon)).setAttribute("aria-hidden", "true");
    badge.appendChild(document.createTextNode(role.label));
    var roleLine = el("p", "node-role", tr("Role:") + " ");
    roleLine.appendChild(badge);
    details.appendChild(roleLine);

    var table = el("table", "node-scores");
    var caption = el("caption", null, tr("Role scores (0–100)"));
    table.appendChild(caption);
    var body = el("tbody");
    SCORES.forEach(function (pair) {
      var row = el("tr");
      row.appendChild(el("th", null, pair[1])).setAttribute("scope", "row");
      var cell = el("td", "num");
      var score = el("span", "score");
      var bar = el("span", "scorebar");
      bar.style.setProperty("--v", String(Math.max(0, Math.min(100, node[pair[0]]))));
      bar.setAttribute("aria-hidden", "true");
      score.appendChild(bar);
      score.appendChild(el("span", "num", Math.round(node[pair[0]])));
      cell.appendChild(score);
      row.appendChild(cell);
      body.appendChild(row);
    });
    table.appendChild(body);
    details.appendChild(table);

    var facts = el("dl", "node-facts");
    function fact(label, value) {
      facts.appendChild(el("dt", null, label));
      var dd = el("dd", null, value);
      dd.setAttribute("dir", "auto");
      facts.appendChild(dd);
    }
    fact(tr("Platform"), node.platform);
    fact(tr("Followers"), fmt(node.followers));
    fact(tr("Partners"), fmt(node.degree));
    fact(tr("Community"), node.community >= 0
      ? (state.communityName[node.community] || tr("Community") + " " + node.community) : tr("none"));
    fact(tr("First seen"), node.first_seen ? node.first_seen.slice(0, 10) : "—");
    details.appendChild(facts);
    var open = el("a", "small", tr("Open the author page"));
    open.href = url;
    open.setAttribute("role", "button");
    var p = el("p");
    p.appendChild(open);
    details.appendChild(p);
  }

  // ---------- legend and find ----------

  function legendItem(color, label, note) {
    var li = el("li");
    var swatch = el("span", "swatch");
    swatch.style.setProperty("--swatch", color);
    swatch.setAttribute("aria-hidden", "true");
    li.appendChild(swatch);
    li.appendChild(el("span", null, label));
    if (note) li.appendChild(el("small", "muted", note));
    return li;
  }

  function renderLegend() {
    if (state.color === "role") {
      var counts = {};
      (state.data ? state.data.nodes : []).forEach(function (n) { counts[n.role] = (counts[n.role] || 0) + 1; });
      legend.replaceChildren();
      Object.keys(ROLES).forEach(function (key) {
        var role = ROLES[key];
        legend.appendChild(legendItem(role.color, role.icon + " " + role.label, state.data ? fmt(counts[key] || 0) : ""));
      });
      return;
    }
    legend.replaceChildren();
    var shown = 0;
    (state.data.communities || []).slice(0, COMMUNITY_COLORS.length).forEach(function (c) {
      shown += c.shown;
      var li = legendItem(state.communityColor[c.id], c.name, fmt(c.shown));
      li.querySelector("span:not(.swatch)").setAttribute("dir", "auto");
      legend.appendChild(li);
    });
    var rest = state.data.nodes.length - shown;
    if (rest > 0) legend.appendChild(legendItem(OTHER_COLOR, tr("Other communities or none"), fmt(rest)));
  }

  function fillHandles(data) {
    var list = document.getElementById("network-handles");
    var fragment = document.createDocumentFragment();
    data.nodes.slice(0, 2000).forEach(function (node) {
      var option = document.createElement("option");
      option.value = node.handle;
      fragment.appendChild(option);
    });
    list.replaceChildren(fragment);
    document.getElementById("network-find").hidden = !data.nodes.length;
  }

  function find(text) {
    var wanted = text.trim().replace(/^@/, "").toLowerCase();
    if (!wanted || !state.data) return;
    var match = null;
    state.data.nodes.some(function (node) {
      if (node.handle.replace(/^@/, "").toLowerCase() === wanted) { match = node; return true; }
      return false;
    });
    if (!match) {
      state.data.nodes.some(function (node) {
        if (node.handle.toLowerCase().indexOf(wanted) >= 0) { match = node; return true; }
        return false;
      });
    }
    if (match) select(String(match.id), true);
    else setStatus(tr("No one called “{name}” in this view.").replace("{name}", text.trim()));
  }

  // ---------- wiring ----------

  function apply(push) {
    var params = formParams();
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url !== window.location.pathname + window.location.search) {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }
    if (state.data && dataQuery(params) === state.loadedQuery) {
      state.color = params.get("color") === "community" ? "community" : "role";
      recolour(); // only the colours changed: no need to reload
      updateDownloads(params);
      return;
    }
    load();
  }

  // ---------- mini graphs: an author's neighbourhood on another page ----------
  //
  //   <div class="network-mini" data-network-mini
  //        data-url="/w/acme/network.json?ego=42&hops=1&max_nodes=60"
  //        data-author-base="/w/acme/authors/" data-ego="42" aria-label="..."></div>
  //
  // Coloured by role, sized by best score, laid out at once (small graphs); a click opens the
  // person. Without JavaScript or WebGL the element keeps whatever it holds.
  function initMini(box) {
    if (!window.graphology || !window.Sigma) return;
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.nodes.length) return;
        state.color = "role";
        var graph = buildGraph(data), ego = box.dataset.ego;
        var FA2 = window.graphologyLayoutForceAtlas2;
        if (FA2) {
          FA2.forceAtlas2.assign(graph, { iterations: 150, settings: FA2.forceAtlas2.inferSettings(graph) });
        }
        box.replaceChildren();
        var renderer;
        try {
          renderer = new Sigma(graph, box, {
            defaultEdgeType: "arrow",
            defaultEdgeColor: darkScheme() ? "rgba(175, 185, 200, 0.5)" : "rgba(80, 90, 105, 0.45)",
            labelColor: { color: getComputedStyle(document.body).color || "#222" },
            labelFont: "system-ui, sans-serif",
            labelSize: 11,
            labelRenderedSizeThreshold: 4,
            nodeReducer: function (node, attrs) {
              return node === ego ? Object.assign({}, attrs, { forceLabel: true, highlighted: true }) : attrs;
            }
          });
        } catch (error) {
          return; // no WebGL: the element stays as the server rendered it
        }
        renderer.on("clickNode", function (e) {
          window.location.href = box.dataset.authorBase + encodeURIComponent(e.node);
        });
        renderer.on("enterNode", function () { box.style.cursor = "pointer"; });
        renderer.on("leaveNode", function () { box.style.cursor = ""; });
        box.dataset.nodes = String(graph.order);
      })
      .catch(function () { /* the element keeps its content */ });
  }

  function init() {
    root = document.getElementById("network");
    if (!root) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-network-mini]"), initMini);
      return;
    }
    container = root.querySelector("[data-graph]");
    statusBox = document.getElementById("network-status");
    countsBox = document.getElementById("network-counts");
    details = document.getElementById("node-details");
    legend = document.getElementById("network-legend");
    form = document.getElementById("network-filters");
    relayout = document.getElementById("network-relayout");
    window.networkView = {
      stats: stats,
      select: function (id) { select(id === null ? null : String(id), true); },
      nodePosition: function (id) {
        if (!state.renderer) return null;
        var data = state.renderer.getNodeDisplayData(String(id));
        if (!data) return null;
        var point = state.renderer.framedGraphToViewport(data);
        var box = container.getBoundingClientRect();
        return { x: box.left + point.x, y: box.top + point.y };
      },
      graph: function () { return state.graph; },
      measureFrame: function () {
        if (state.renderer) state.renderer.refresh({ skipIndexation: true });
        return measureFrame();
      },
      recordFrames: recordFrames,
      runLayout: runLayout,
      stopLayout: stopLayout
    };
    if (!window.graphology || !window.Sigma) {
      setStatus(tr("The graph libraries did not load: reload the page, or use the downloads."));
      return;
    }
    document.getElementById("network-fallback").hidden = true;
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.addEventListener("change", function (event) {
      if (event.target.name === "find") return;
      if (event.target.type === "checkbox" && event.target.name === "kind" &&
          !form.querySelector("input[name=kind]:checked")) {
        event.target.checked = true; // at least one kind of tie
        setStatus(tr("Keep at least one kind of tie."));
        return;
      }
      apply(true);
    });
    relayout.addEventListener("click", function () {
      if (state.layout) stopLayout(); else runLayout();
    });
    document.getElementById("network-find").addEventListener("submit", function (event) {
      event.preventDefault();
      find(document.getElementById("find-handle").value);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && state.selected !== null) select(null, false);
    });
    window.addEventListener("popstate", function () {
      var params = new URLSearchParams(window.location.search);
      syncForm(params);
      if (state.data && dataQuery(params) === state.loadedQuery) {
        state.color = params.get("color") === "community" ? "community" : "role";
        recolour();
      } else {
        load();
      }
    });
    load();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
