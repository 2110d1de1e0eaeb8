"""Measure load_snapshot against json.load of the same file, each in a fresh interpreter."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CODE = {
    "json.load": "import json, sys, time\nt = time.perf_counter()\n"
                 "with open(sys.argv[1], 'rb') as f:\n    json.load(f)\nprint(time.perf_counter() - t)",
    "load_snapshot": "import sys, time\nsys.path.insert(0, sys.argv[2])\n"
                     "from reach.model import load_snapshot\nimport reach.model.load\n"
                     "t = time.perf_counter()\nload_snapshot(sys.argv[1])\nprint(time.perf_counter() - t)",
}


def fastest(kind: str, path: Path, repeat: int, root: Path = ROOT) -> float:
    """The fastest of `repeat` runs, imports excluded, each in its own interpreter."""
    return min(float(subprocess.run([sys.executable, "-c", _CODE[kind], str(path), str(root)],
                                    check=True, capture_output=True, text=True).stdout)
               for _ in range(repeat))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("files", nargs="+", type=Path, help="snapshot files (bench/generate.py output)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    p.add_argument("--root", type=Path, default=ROOT,
                   help="the reach checkout to measure (another worktree, for before and after)")
    args = p.parse_args(argv)
    for path in args.files:
        base = fastest("json.load", path, args.repeat)
        load = fastest("load_snapshot", path, args.repeat, args.root.resolve())
        print(json.dumps({"root": str(args.root), "file": str(path), "mb": round(path.stat().st_size / 2**20, 1),
                          "json_load_s": round(base, 3), "load_snapshot_s": round(load, 3),
                          "ratio": round(load / base, 2)}))


if __name__ == "__main__":
    main()
