"""CPU seconds of `audit()` alone, in one process, the snapshot loaded and its estate built first:
what docs/performance.md's table of the walk's steps measures. `--root` measures another checkout
(a worktree of an older commit) with the same interpreter."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("snapshot", type=Path)
    p.add_argument("--root", type=Path, default=HERE.parent, help="the checkout to measure")
    p.add_argument("--repeat", type=int, default=2, help="runs, each on a freshly loaded snapshot; the best is shown")
    p.add_argument("--hops", action="store_true", help="trace the walks, as `reach audit --hops` does")
    args = p.parse_args(argv)
    sys.path.insert(0, str(args.root))
    from reach import load_snapshot
    from reach.estate import Estate
    from reach.questions.audit import audit
    best, answers = float("inf"), 0
    for _ in range(args.repeat):
        snapshot = load_snapshot(str(args.snapshot))
        Estate.of(snapshot)
        start = time.process_time()
        answers = len(audit(snapshot, hops=args.hops, jobs=1).results)
        best = min(best, time.process_time() - start)
    print(f"{args.root}: audit() {best:.2f} s of CPU for {answers} answers ({args.snapshot.name})")


if __name__ == "__main__":
    main()
