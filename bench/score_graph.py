"""Time the pure scoring of a synthetic workspace (graph/ only, no database).

    .venv/bin/python bench/score_graph.py                  # 200,000 authors, ~1M interactions
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph import ROLES, ScoringParams, score_authors  # noqa: E402
from graph.synthetic import generate_records, to_graph_input  # noqa: E402


def peak_mb() -> float:
    """Return the peak resident set size of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    """Generate, score, and print figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--authors", type=int, default=200_000)
    ap.add_argument("--posts-per-author", type=float, default=5.0)
    ap.add_argument("--mentions-per-post", type=float, default=0.45)
    ap.add_argument("--bots", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--backend", default="auto")
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
    bots = [k for k in result if str(k).startswith("bot")]
    worst = min(
        (min(result.top(role, len(result)).index(b) for role in ROLES) for b in bots), default=None
    )
    print(f"planted bots: {len(bots)}, best rank of any bot in any role: {worst}")
    for role in ROLES:
        a = result[top[role][0]]
        print(f"top {role}: {a.key} {a.scores[role]:.1f} - {'; '.join(a.reasons[:2])}")
    print(f"\npeak RSS at the end: {peak_mb():,.0f} MB; total scoring {t_score + t_table:.2f} s")


if __name__ == "__main__":
    main()
