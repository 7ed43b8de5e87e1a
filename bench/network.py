"""Benchmark the network view on a synthetic workspace of ~20,000 connected authors.

    python bench/network.py                       # ~24k authors generated, ~20k drawn
    python bench/network.py --authors 50000 --max-nodes 20000
    python bench/network.py --database-url postgresql://postgres@127.0.0.1/bench
    python bench/network.py --no-browser          # server-side figures only

Steps: ``graph.synthetic.generate_records`` -> a MentionRecord CSV -> ``ingest.import_files``
-> ``scoring.compute``; then the figures:

- server: ``network_data`` (the service alone) and ``GET /w/<slug>/network.json`` through the
  app (filters parsed, JSON written), best of a few runs, and the JSON's size; the GEXF export;
- browser (headless Debian Chromium, software WebGL, 1440x900): from navigation to sigma's
  first frame, the JSON fetch and graph build, ForceAtlas2 iterations per second in its worker
  during the automatic run and during a "Re-run layout", the wall time of one frame (nodes
  only, as drawn while the layout runs; and everything, at rest), and the frames drawn while
  the mouse drags the graph and while the wheel zooms it (edges hidden on move).

Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.synthetic import RECORD_FIELDS, generate_records  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "bench network password"


def write_csv(path: Path, authors: int, seed: int) -> int:
    """Write the synthetic workspace's mentions; return how many rows."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=RECORD_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for row in generate_records(authors, seed=seed):
            writer.writerow(row)
            rows += 1
    return rows


def best_of(runs: int, work) -> tuple[float, object]:
    """Return the fastest of ``runs`` timings (seconds) and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def browser_figures(url: str, slug: str, email: str) -> dict:
    """Open the network page in headless Chromium; return the page's own measurements."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        page.goto(f"{url}/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/w/{slug}/network")
        page.wait_for_function(
            "window.networkView && window.networkView.stats.firstRenderMs", timeout=120_000
        )
        page.wait_for_function(
            "window.networkView.stats.layoutIterations > 0 && !window.networkView.stats.layoutRunning",
            timeout=120_000,
        )
        first = page.evaluate("Object.assign({}, window.networkView.stats)")
        first["counts"] = page.inner_text("#network-counts")
        page.evaluate("window.networkView.runLayout()")
        page.wait_for_function("!window.networkView.stats.layoutRunning", timeout=120_000)
        second = page.evaluate("Object.assign({}, window.networkView.stats)")
        # wall time of a whole frame with every node and edge (refresh -> two animation frames)
        frames = [page.evaluate("window.networkView.measureFrame()") for _ in range(3)]
        moving = {"drag": user_moves(page, "drag"), "zoom": user_moves(page, "zoom")}
        browser.close()
    return {"first": first, "rerun": second, "frames": frames, "moving": moving}


def user_moves(page, how: str, seconds: float = 4.0) -> dict:
    """Drag the graph (or zoom with the wheel) as a person would for ``seconds``; return the
    frames sigma drew meanwhile and the median time between two."""
    box = page.locator("#network-graph").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    # started, not awaited: the moves happen while it records
    page.evaluate(f"window.benchFrames = window.networkView.recordFrames({int(seconds * 1000)}); 0")
    end = time.perf_counter() + seconds - 0.3
    if how == "drag":
        page.mouse.down()
        step = 0
        while time.perf_counter() < end:
            step += 1
            page.mouse.move(x + 200 * ((step // 40) % 2 * 2 - 1) * (step % 40) / 40, y)
            time.sleep(0.02)
        page.mouse.up()
    else:
        ticks = 0
        while time.perf_counter() < end:  # five notches in, five out, ...
            page.mouse.wheel(0, -120 if (ticks // 5) % 2 == 0 else 120)
            ticks += 1
            time.sleep(0.1)
    return page.evaluate("window.benchFrames")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--authors", type=int, default=24_000, help="synthetic authors (default 24,000)"
    )
    parser.add_argument("--max-nodes", type=int, default=20_000)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        os.environ.setdefault("SECRET_KEY", "bench")
        from app import create_app
        from app.extensions import db
        from app.models import Base
        from app.services import ingest, network, scoring, users, workspaces

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "JOBS_INLINE": True, "WTF_CSRF_ENABLED": False,
                          "INSTANCE_PATH": f"{tmp}/instance", "UPLOAD_FOLDER": f"{tmp}/uploads"})  # fmt: skip
        with app.app_context():
            Base.metadata.drop_all(db.engine)
            Base.metadata.create_all(db.engine)
            user = users.create_user("bench@example.com", PASSWORD, "Bench")
            workspace = workspaces.create_workspace(
                "bench", "Bench", owner=user, brand_terms=["delivery"]
            )
            path = Path(tmp) / "mentions.csv"
            t = time.perf_counter()
            rows = write_csv(path, args.authors, args.seed)
            print(
                f"generated {rows:,} mentions of {args.authors:,} authors in {time.perf_counter() - t:.1f} s"
            )
            t = time.perf_counter()
            ingest.import_files(workspace, [path])
            print(f"imported in {time.perf_counter() - t:.1f} s")
            t = time.perf_counter()
            snapshot = scoring.compute(workspace)
            print(f"scored {snapshot.counts['authors']:,} authors, {snapshot.counts['interactions']:,} interactions"
                  f" in {time.perf_counter() - t:.1f} s")  # fmt: skip

            service_s, data = best_of(
                5, lambda: network.network_data(workspace, max_nodes=args.max_nodes)
            )
            c = data["counts"]
            client = app.test_client()
            client.post("/login", data={"email": "bench@example.com", "password": PASSWORD})
            query = (
                f"/w/bench/network.json?max_nodes={args.max_nodes}"
                if args.max_nodes != 20_000
                else "/w/bench/network.json"
            )
            http_s, response = best_of(5, lambda: client.get(query))
            assert response.status_code == 200, response.status_code
            size = len(response.data)
            gzip_s, packed = best_of(
                3, lambda: client.get(query, headers={"Accept-Encoding": "gzip"})
            )
            topic_s, topic = best_of(3, lambda: network.network_data(workspace, topic="#t1"))
            window_s, _ = best_of(
                3, lambda: network.network_data(workspace, kinds=("reply", "quote"), min_degree=2)
            )
            gexf_s, gexf = best_of(
                1, lambda: network.export_graph(workspace, "gexf", max_nodes=args.max_nodes)
            )
            graphml_s, graphml = best_of(
                1, lambda: network.export_graph(workspace, "graphml", max_nodes=args.max_nodes)
            )

            print(
                f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
            )
            print(f"database: {url.split(':')[0]}")
            print(f"graph: {c['nodes']:,} people with ties, {c['edges']:,} ties; drawn {c['shown_nodes']:,} nodes,"
                  f" {c['shown_edges']:,} edges (truncated: {data['truncated']}, dropped {data['dropped']:,})")  # fmt: skip
            print(f"network_data (service)       {service_s * 1000:7.0f} ms")
            print(f"GET network.json (app, JSON) {http_s * 1000:7.0f} ms, {size / 1e6:.1f} MB;"
                  f" gzipped {gzip_s * 1000:.0f} ms, {len(packed.data) / 1e6:.1f} MB")  # fmt: skip
            print(
                f"  topic #t1                  {topic_s * 1000:7.0f} ms ({topic['counts']['shown_nodes']:,} nodes)"
            )
            print(f"  replies+quotes, degree>=2  {window_s * 1000:7.0f} ms")
            print(f"GEXF export                  {gexf_s * 1000:7.0f} ms, {len(gexf) / 1e6:.1f} MB")
            print(
                f"GraphML export               {graphml_s * 1000:7.0f} ms, {len(graphml) / 1e6:.1f} MB"
            )

            if args.no_browser or not Path(CHROMIUM).exists():
                return
            from werkzeug.serving import make_server

            logging.getLogger("werkzeug").setLevel(logging.ERROR)

            app.config.update(SERVER_NAME=None)
            server = make_server("127.0.0.1", 0, app, threaded=True)
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            try:
                figures = browser_figures(
                    f"http://127.0.0.1:{server.server_port}", "bench", "bench@example.com"
                )
            finally:
                server.shutdown()
                thread.join(timeout=5)
        first, rerun, frames = (
            figures["first"],
            figures["rerun"],
            [f for f in figures["frames"] if f],
        )
        print(f"browser (headless Chromium {CHROMIUM}, software WebGL, 1440x900):")
        print(f"  page shows: {first['counts']}")
        print(f"  navigation -> first frame  {first['firstRenderMs']:7.0f} ms"
              f" (JSON fetch {first['fetchMs']} ms, graph build + sigma {first['buildMs']} ms)")  # fmt: skip
        print(f"  ForceAtlas2 (worker)       {first['iterationsPerSecond']:7.1f} it/s on load"
              f" ({first['layoutIterations']} iterations in {first['layoutSeconds']:.1f} s),"
              f" {rerun['iterationsPerSecond']:.1f} it/s on re-run")  # fmt: skip
        print(f"  one frame, nodes only      {first['frameMs']:7.0f} ms (while the layout runs)")
        if frames:
            print(f"  one frame, all drawn       {statistics.median(frames):7.0f} ms"
                  f" (median of {len(frames)}, at rest)")  # fmt: skip
        print(f"  drawing                    {first['drawing']} (dots and ties)")
        for how, seen in figures["moving"].items():
            if seen and seen["medianMs"]:
                print(f"  while the user {how}s      {seen['medianMs']:7.0f} ms a frame,"
                      f" {1000 / seen['medianMs']:.0f} frames/s ({seen['frames']} drawn)")  # fmt: skip


if __name__ == "__main__":
    main()
