#!/usr/bin/env bash
# Refresh the built front-end libraries under app/static/vendor/ from the npm registry.
#
# Everything is installed into a throwaway directory, so no node_modules or package-lock
# ever lands in the repository. Versions are pinned here; bump them, run this script,
# check the pages (and tests/unit/test_vendor.py), then commit app/static/vendor/.
#
#   scripts/vendor.sh            # needs node + npm (and the npm registry) on PATH
set -euo pipefail

HTMX_VERSION=2.0.11
CHARTJS_VERSION=4.6.1
GRAPHOLOGY_VERSION=0.26.0
SIGMA_VERSION=3.0.3
FA2_VERSION=0.10.1
PICO_VERSION=2.1.1
ESBUILD_VERSION=0.28.2
# graphology-utils is bundled into the ForceAtlas2 file, so pin it too (the other
# dependencies are already inside the packages' own builds; only their licences are copied).
GRAPHOLOGY_UTILS_VERSION=2.5.2

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/app/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact \
  "htmx.org@$HTMX_VERSION" \
  "chart.js@$CHARTJS_VERSION" \
  "graphology@$GRAPHOLOGY_VERSION" \
  "sigma@$SIGMA_VERSION" \
  "graphology-layout-forceatlas2@$FA2_VERSION" \
  "@picocss/pico@$PICO_VERSION" \
  "graphology-utils@$GRAPHOLOGY_UTILS_VERSION" \
  "esbuild@$ESBUILD_VERSION" >/dev/null
NM="$WORK/node_modules"

# copy SRC DEST_DIR [NAME]: copy one built file. A trailing sourceMappingURL comment is
# dropped because the .map files are not vendored (it would only produce 404s).
copy() {
  local src="$1" dir="$2" name="${3:-$(basename "$1")}"
  mkdir -p "$dir"
  sed -e '/^\/\/# sourceMappingURL=/d' -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$src" > "$dir/$name"
}

# licence PKG DEST_DIR [PREFIX]: copy a package's licence file(s) unchanged.
licence() {
  local pkg="$1" dir="$2" prefix="${3:-}" found=0 f
  mkdir -p "$dir"
  for f in "$NM/$pkg"/LICEN[CS]E* "$NM/$pkg"/license*; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/$prefix$(basename "$f")"
    found=1
  done
  [ "$found" = 1 ] || { echo "no licence file in $pkg" >&2; exit 1; }
}

rm -rf "$DEST/htmx" "$DEST/chartjs" "$DEST/graphology" "$DEST/sigma" \
       "$DEST/graphology-layout-forceatlas2" "$DEST/pico"

# htmx: the minified browser build; defines window.htmx.
copy "$NM/htmx.org/dist/htmx.min.js" "$DEST/htmx"
licence htmx.org "$DEST/htmx"

# Chart.js: the UMD build (bundles @kurkle/color); defines window.Chart.
copy "$NM/chart.js/dist/chart.umd.min.js" "$DEST/chartjs"
licence chart.js "$DEST/chartjs"
licence @kurkle/color "$DEST/chartjs" "kurkle-color-"

# graphology: the UMD build; defines window.graphology (the Graph class, with
# graphology.Graph, .DirectedGraph, .MultiDirectedGraph, ... as properties).
copy "$NM/graphology/dist/graphology.umd.min.js" "$DEST/graphology"
licence graphology "$DEST/graphology"

# sigma v3 ships a UMD build (dist/sigma.min.js, bundling `events` and
# graphology-utils); defines window.Sigma (the renderer class, with Sigma.Camera,
# Sigma.rendering and Sigma.utils). It expects a graphology graph instance.
copy "$NM/sigma/dist/sigma.min.js" "$DEST/sigma"
licence sigma "$DEST/sigma"
licence events "$DEST/sigma" "events-"
licence graphology-utils "$DEST/sigma" "graphology-utils-"

# ForceAtlas2 ships CommonJS only: bundle it with esbuild into one IIFE that defines
# window.graphologyLayoutForceAtlas2 = {forceAtlas2, FA2Layout}. forceAtlas2 is the
# synchronous layout (forceAtlas2.assign(graph, {iterations, settings}),
# forceAtlas2.inferSettings(graph)); FA2Layout runs it in a web worker built from a
# Blob URL (new FA2Layout(graph, {settings}); .start(); .stop(); .kill()).
mkdir -p "$DEST/graphology-layout-forceatlas2"
cat > "$WORK/fa2-entry.js" <<'JS'
module.exports = {
  forceAtlas2: require('graphology-layout-forceatlas2'),
  FA2Layout: require('graphology-layout-forceatlas2/worker')
};
JS
"$NM/.bin/esbuild" "$WORK/fa2-entry.js" --bundle --minify --format=iife \
  --global-name=graphologyLayoutForceAtlas2 --target=es2017 --legal-comments=none \
  --banner:js="/*! graphology-layout-forceatlas2 v$FA2_VERSION (with graphology-utils) | MIT | bundled by scripts/vendor.sh */" \
  --outfile="$DEST/graphology-layout-forceatlas2/graphology-layout-forceatlas2.min.js" --log-level=warning
licence graphology-layout-forceatlas2 "$DEST/graphology-layout-forceatlas2"
licence graphology-utils "$DEST/graphology-layout-forceatlas2" "graphology-utils-"

# Pico CSS: the default (class-light) build with light and dark colour schemes.
copy "$NM/@picocss/pico/css/pico.min.css" "$DEST/pico"
licence @picocss/pico "$DEST/pico"

echo "vendored into $DEST:"
( cd "$DEST" && find . -type f ! -name README.md | sort | xargs ls -l | awk '{printf "  %8d  %s\n", $5, $9}' )
