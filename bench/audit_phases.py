"""Where the time of `reach audit -f json` goes: wall and CPU seconds of each phase, in one fresh
process, as the CLI runs them (imports, loading, grouping the questions, the walks over `--jobs`
processes with the ENI permission warnings, the JSON). Prints to standard error; the JSON goes to
standard output, which you may send to /dev/null."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


class Phases:
    """Marks: each phase's wall and CPU seconds since the previous mark."""

    def __init__(self) -> None:
        self.last = (time.perf_counter(), time.process_time())
        self.start = self.last[0]
        self.rows: list[tuple[str, float, float]] = []

    def mark(self, name: str) -> None:
        now = (time.perf_counter(), time.process_time())
        self.rows.append((name, now[0] - self.last[0], now[1] - self.last[1]))
        self.last = now

    def report(self) -> str:
        total = self.last[0] - self.start
        lines = [f"{'phase':40s} {'wall s':>8s} {'share':>6s} {'CPU s (this process)':>21s}"]
        lines += [f"{name:40s} {wall:8.2f} {wall / total:6.0%} {cpu:21.2f}" for name, wall, cpu in self.rows]
        return "\n".join(lines + [f"{'total':40s} {total:8.2f}"])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("snapshot", type=Path)
    p.add_argument("--jobs", type=int, default=None, help="processes for the walks (default: the cores)")
    p.add_argument("--root", type=Path, default=HERE.parent, help="the checkout to measure")
    args = p.parse_args(argv)
    phases = Phases()
    sys.path.insert(0, str(args.root))
    import reach.cli.app  # noqa: F401 - the CLI's own imports count
    from reach import load_snapshot
    from reach.questions import audit as audit_module
    from reach.questions.workers import default_jobs
    from reach.render.audit import json_compactor, render_audit
    phases.mark("imports")
    snapshot = load_snapshot(str(args.snapshot))
    phases.mark("loading")

    ask = audit_module.ask

    def timed_ask(*a, **k):
        phases.mark("select functions, group the questions")
        answers = ask(*a, **k)
        phases.mark("the walks, the ENI permission warnings")
        return answers
    audit_module.ask = timed_ask
    jobs = args.jobs if args.jobs is not None else default_jobs()
    report = audit_module.audit(snapshot, hops=False, jobs=jobs,
                                compact=json_compactor(hops=False, fix_format=None))
    phases.mark("the rest of the audit")
    render_audit(report, "json")
    phases.mark("JSON written")
    print(f"{args.snapshot} with --jobs {jobs}:\n{phases.report()}", file=sys.stderr)


if __name__ == "__main__":
    main()
