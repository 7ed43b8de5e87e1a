"""Time the pure scoring of a synthetic workspace (graph/ only, no database).

    .venv/bin/python bench/score_graph.py                  # ~200,000 authors, ~1.1M interactions
    .venv/bin/python bench/score_graph.py --authors 20000 --bots 30

Prints the size of the generated workspace, the seconds per scoring phase, the time to
materialise the snapshot table and some explained authors, and the peak resident memory
(``resource.getrusage``) after generation and at the end.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph import ROLES, ScoringParams, score_authors  # noqa: E402
from graph.synthetic import generate_records, to_graph_input  # noqa: E402


def peak_mb() -> float:
    """Return the peak resident set size of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    """Generate, score, and print figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--authors", type=int, default=232_000)  # ~200k appear in the data
    ap.add_argument("--posts-per-author", type=float, default=5.0)
    ap.add_argument("--mentions-per-post", type=float, default=0.45)
    ap.add_argument("--bots", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--handle-keys", action="store_true", help="key authors by handle, not int")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    records = generate_records(
        args.authors,
        posts_per_author=args.posts_per_author,
        mentions_per_post=args.mentions_per_post,
        bot_ring=args.bots,
        seed=args.seed,
    )
    posts, interactions, authors = to_graph_input(records)
    if not args.handle_keys:
        # the scoring service keys authors by integer database ids; do the same
        ids = {h: i for i, h in enumerate(authors)}
        for e in interactions:
            ids.setdefault(e.target, len(ids))
        # ... and posts by integer mention ids
        pids = {p.id: i for i, p in enumerate(posts)}
        posts = [
            p._replace(author=ids[p.author], id=pids[p.id], parent=pids.get(p.parent))
            for p in posts
        ]
        interactions = [
            e._replace(source=ids[e.source], target=ids[e.target]) for e in interactions
        ]
        authors = {ids[h]: a._replace(key=ids[h]) for h, a in authors.items()}
        handle = {i: h for h, i in ids.items()}
    else:
        handle = {h: h for h in authors}
    t_gen = time.perf_counter() - t0
    mem_gen = peak_mb()
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    print(
        f"generated {len(authors):,} authors, {len(posts):,} posts, "
        f"{len(interactions):,} interactions in {t_gen:.1f} s (not part of scoring)"
    )
    print(f"peak RSS after generation: {mem_gen:,.0f} MB")

    t0 = time.perf_counter()
    result = score_authors(
        posts, interactions, authors=authors, params=ScoringParams(backend=args.backend)
    )
    t_score = time.perf_counter() - t0
    print(f"\nscore_authors: {t_score:.2f} s for {result.counts}")
    for phase, seconds in result.timings.items():
        print(f"  {phase:<15} {seconds:7.3f} s")

    t0 = time.perf_counter()
    table = result.table()
    t_table = time.perf_counter() - t0
    t0 = time.perf_counter()
    top = {role: result.top(role, 100) for role in ROLES}
    explained = [result[k] for keys in top.values() for k in keys]
    t_explain = time.perf_counter() - t0
    print(f"table() for {len(table['key']):,} authors: {t_table:.2f} s")
    print(f"{len(explained)} AuthorScore with reasons: {t_explain:.2f} s")
    print(f"roles: {dict(Counter(result.roles).most_common())}")
    bots = [k for k in result if str(handle.get(k, "")).startswith("bot")]
    bot_idx = [result.index[b] for b in bots]
    worst = None
    for role in ROLES:
        rank = np.empty(len(result), dtype=np.int64)
        rank[np.argsort(-result.scores[role], kind="stable")] = np.arange(len(result))
        best = int(rank[bot_idx].min()) + 1 if bot_idx else None
        worst = best if worst is None else min(worst, best)
    print(f"planted bots: {len(bots)}, best rank (1 = top) of any bot in any role: {worst}")
    for role in ROLES:
        a = result[top[role][0]]
        why = "; ".join(a.explanations[role][:2])
        print(f"top {role}: {handle[a.key]} {a.scores[role]:.1f} ({a.role}) - {why}")
    print(f"\npeak RSS at the end: {peak_mb():,.0f} MB; total scoring {t_score + t_table:.2f} s")


if __name__ == "__main__":
    main()
