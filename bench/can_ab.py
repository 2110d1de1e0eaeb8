"""The cold `reach can` row of bench/run.py for several checkouts at once, interleaved: each round
runs `json.load` of the file, then `python -m reach can FN dynamodb -f json --no-cache` in each
checkout in turn, so a busy machine weighs on every checkout alike. Prints the fastest wall time
and the least CPU of each, and their ratios to `json.load`'s.

    python bench/can_ab.py bench/out/M-1.json /tmp/before . --rounds 7
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import json_load  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path, help="a snapshot (bench/generate.py output)")
    p.add_argument("checkouts", nargs="+", type=Path, help="checkouts of reach (each run with its own code)")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--function", default="fn-00000")
    args = p.parse_args()
    path = args.file.resolve()
    runs: dict[Path, list[tuple[float, float]]] = {c: [] for c in args.checkouts}
    loads = []
    for _ in range(args.rounds):
        loads.append(json_load(path, 1))
        for checkout in args.checkouts:
            # `python -m reach` from the checkout's root imports that checkout's reach.
            cmd = [sys.executable, "-m", "reach", "can", args.function, "dynamodb", "-s", str(path),
                   "-f", "json", "--no-cache"]
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, cwd=checkout)
            _, status, usage = os.wait4(proc.pid, 0)
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                raise SystemExit(f"{checkout}: reach can failed")
            runs[checkout].append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime))
    wall, cpu = min(r[0] for r in loads), min(r[2] for r in loads)
    print(f"{path.name}: json.load {wall:.3f} s (its process: {cpu:.3f} s CPU), {args.rounds} rounds")
    for checkout, rs in runs.items():
        w, c = min(r[0] for r in rs), min(r[1] for r in rs)
        print(f"  {str(checkout):<24} cold reach can {w:.3f} s = {w / wall:.2f}x   CPU {c:.3f} s = {c / cpu:.2f}x")


if __name__ == "__main__":
    main()
