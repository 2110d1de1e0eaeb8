"""The answers-identity check, answer by answer: SHA-256 of every audit answer's full JSON (hops
included) on one estate, compared with digests written earlier (bench/answers.py hashes the CLI's output)."""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def digests(snapshot_path: Path) -> dict:
    """Per answer (in audit order) the SHA-256 of its full JSON, and one SHA-256 over them all."""
    from reach import load_snapshot
    from reach.questions.audit import audit
    report = audit(load_snapshot(str(snapshot_path)))
    each = [hashlib.sha256(json.dumps(a.to_dict(), sort_keys=True).encode()).hexdigest()
            for a in report.results]
    return {"snapshot": snapshot_path.name, "answers": len(each),
            "all": hashlib.sha256("".join(each).encode()).hexdigest(), "each": each}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("snapshot", type=Path)
    p.add_argument("-o", "--output", type=Path, help="write the digests here (JSON)")
    p.add_argument("--against", type=Path, help="compare with digests written earlier; exit 1 if any differs")
    args = p.parse_args(argv)
    now = digests(args.snapshot)
    print(f"{now['answers']} answers, sha256 {now['all']}")
    if args.output:
        args.output.write_text(json.dumps(now))
    if args.against:
        before = json.loads(args.against.read_text())
        differ = [i for i, (a, b) in enumerate(zip(before["each"], now["each"])) if a != b]
        if before["answers"] != now["answers"] or differ:
            print(f"DIFFERENT: {before['answers']} answers before, {now['answers']} now; "
                  f"{len(differ)} differ (first: {differ[:5]})")
            return 1
        print("identical to", args.against)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
