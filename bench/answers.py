"""SHA-256 of every answer reach gives on a snapshot (`reach audit --format json`): a check that a
change to loading or reasoning leaves the answers byte-for-byte the same."""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def answers_sha256(path: Path) -> str:
    proc = subprocess.run([sys.executable, "-m", "reach", "audit", "--snapshot", str(path),
                           "--format", "json"], capture_output=True, cwd=ROOT)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"reach audit failed on {path}: {proc.stderr.decode().strip()}")
    return hashlib.sha256(proc.stdout).hexdigest()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("file", type=Path, help="a snapshot (bench/generate.py --size M output)")
    p.add_argument("--expect", help="the SHA-256 recorded before the change; exit 1 if it differs")
    args = p.parse_args(argv)
    digest = answers_sha256(args.file)
    print(digest)
    if args.expect and digest != args.expect:
        raise SystemExit(f"answers differ: expected {args.expect}")


if __name__ == "__main__":
    main()
