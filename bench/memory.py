"""Peak memory of `reach audit -f json` against `json.load` of the same file (issue 12: at most 2x),
and where an audit's memory goes, stage by stage (docs/performance.md: Memory).

    python bench/memory.py bench/out/M-1.json bench/out/L-1.json     # peak RSS, --jobs 2 and 1
    python bench/memory.py bench/out/M-1.json --stages              # RSS after each stage, in one process
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_LOAD = "import json, sys\nwith open(sys.argv[1], 'rb') as f:\n    json.load(f)\n"
_STAGES = """import os, resource, sys
def mark(stage):
    with open('/proc/self/statm') as f:
        rss = int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'{stage:16} RSS {rss:7.0f} MiB   peak so far {peak:7.0f} MiB')
mark('start')
from reach.estate import Estate
from reach.model import load_snapshot
from reach.questions.audit import audit
from reach.render import console
from reach.render.audit import json_compactor, render_audit
mark('imports')
snap = load_snapshot(sys.argv[1]); mark('load_snapshot')
Estate.of(snap); mark('Estate.of')
report = audit(snap, hops=False, compact=json_compactor(hops=False)); mark('audit')
console.out.file = open(os.devnull, 'w')
render_audit(report, 'json'); mark('JSON written')
"""


def peak_rss(cmd: list[str]) -> float:
    """The peak RSS in MiB of a command: wait4's, the largest of the process and its children."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode().strip()}")
    proc.stderr.close()
    return usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", type=Path, help="snapshots (bench/generate.py output)")
    p.add_argument("--jobs", type=int, nargs="+", default=[2, 1], help="--jobs of each audit run")
    p.add_argument("--stages", action="store_true", help="RSS after each stage of one in-process audit")
    args = p.parse_args(argv)
    for path in args.files:
        if args.stages:
            print(path)
            subprocess.run([sys.executable, "-c", _STAGES, str(path)], check=True, cwd=ROOT)
            continue
        load = peak_rss([sys.executable, "-c", _LOAD, str(path)])
        print(f"{path}: json.load {load:.0f} MiB")
        for jobs in args.jobs:
            rss = peak_rss([sys.executable, "-m", "reach", "audit", "--snapshot", str(path), "-f", "json",
                            "--jobs", str(jobs)])
            print(f"  reach audit -f json --jobs {jobs}: {rss:.0f} MiB = {rss / load:.2f}x json.load")


if __name__ == "__main__":
    main()
