"""Every answer reach gives on bench estates, samples and the Batfish corpus, as canonical JSON, and a
field-by-field comparison of two such dumps (verdicts, paths, blockers, codes, fixes, hop sequences).

    python bench/answer_fields.py dump -o before.json       # on the old code
    python bench/answer_fields.py dump -o after.json        # on the new code
    python bench/answer_fields.py compare before.json after.json

Hops are compared on the contract §2.1 fields only (component_id, kind, decision, detail): typed
hops may carry more."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))  # this checkout's reach, not whichever one is installed

from generate import SIZES, generate  # noqa: E402

HOP_FIELDS = ("component_id", "kind", "decision", "detail")
BLOCKER_FIELDS = ("component_id", "kind", "code", "reason", "fix")


def sources(sizes: list[str]) -> dict[str, object]:
    """Each estate's name and a way to load it (generated sizes, samples, the Batfish corpus)."""
    from reach import load_snapshot, parse_snapshot
    out: dict[str, object] = {}
    for size in sizes:
        out[f"bench-{size}"] = lambda size=size: parse_snapshot(json.dumps(generate(SIZES[size], seed=1)))
    for sample in sorted((ROOT / "samples").glob("*/snapshot.json")):
        out[f"sample-{sample.parent.name}"] = lambda p=sample: load_snapshot(p)
    corpus = ROOT.parent / "shared" / "corpus" / "batfish-aws"
    for case in sorted(p for p in corpus.iterdir() if p.is_dir()) if corpus.is_dir() else []:
        out[f"corpus-{case.name}"] = lambda p=case: load_snapshot(p)
    return out


def canonical(answer: dict) -> dict:
    """The contract §2.1 content of one answer, hops reduced to their contract fields."""
    def blocker(b: dict | None) -> dict | None:
        return {k: b.get(k) for k in BLOCKER_FIELDS} if b else None
    paths = []
    for p in answer["paths"]:
        paths.append({"subnet_id": p["subnet_id"], "availability_zone": p["availability_zone"],
                      "eni": p["eni"], "verdict": p["verdict"], "blocked_by": blocker(p["blocked_by"]),
                      "also_blocked_by": [blocker(b) for b in p.get("also_blocked_by", [])],
                      "missing": p.get("missing", []), "reached": p.get("reached"),
                      "hops": [{k: h[k] for k in HOP_FIELDS} for h in p["hops"]]})
    return {"source": answer["source"], "target": answer["target"], "verdict": answer["verdict"],
            "missing": answer.get("missing", []), "notes": answer.get("notes", []), "paths": paths}


def what_ifs(snapshot) -> list:
    """For estates without functions (the corpus): a placement in every subnet whose VPC has a
    default group, with that group, toward the internet, S3, DynamoDB and every ENI's primary
    address on 443."""
    from reach import can_reach
    groups = {}
    for g in snapshot.items("SecurityGroups"):
        if g.group_name == "default":
            groups.setdefault(g.vpc_id, g.group_id)
    targets = ["internet:443", "s3", "dynamodb"] + sorted(
        f"{e.private_ip_address}:443" for e in snapshot.items("NetworkInterfaces")
        if e.private_ip_address and ":" not in e.private_ip_address)
    answers = []
    for s in snapshot.items("Subnets"):
        if not s.cidr_block or s.vpc_id not in groups:
            continue  # Lambda takes no placement without a security group (1.18)
        for t in targets:
            answers.append(can_reach(snapshot, None, t, subnets=[s.subnet_id],
                                     security_groups=[groups[s.vpc_id]]))
    return answers


def dump(sizes: list[str]) -> dict[str, dict[str, dict]]:
    from reach import ReachInputError, audit
    out: dict[str, dict[str, dict]] = {}
    for name, load in sources(sizes).items():
        try:
            snapshot = load()
            results = audit(snapshot).results
            if not results and name.startswith("corpus-"):
                results = what_ifs(snapshot)
        except ReachInputError as exc:
            out[name] = {"error": {"text": str(exc)}}
            continue
        answers = {}
        for a in results:
            d = a.to_dict()
            who = d["source"].get("function") or json.dumps(d["source"], sort_keys=True)
            answers[f"{who} → {d['target']['spec']}"] = canonical(d)
        out[name] = answers
        print(f"{name}: {len(answers)} answers", file=sys.stderr)
    return out


def compare(old: dict, new: dict) -> list[str]:
    """Every difference, one line each: estate, question, path, field, before → after."""
    lines = []
    for estate in sorted(set(old) | set(new)):
        a, b = old.get(estate, {}), new.get(estate, {})
        for q in sorted(set(a) | set(b)):
            if q not in a or q not in b:
                lines.append(f"{estate}: {q}: {'added' if q in b else 'removed'}")
                continue
            x, y = a[q], b[q]
            for field in ("verdict", "missing", "notes", "source", "target"):
                if x.get(field) != y.get(field):
                    lines.append(f"{estate}: {q}: {field}: {x.get(field)} → {y.get(field)}")
            if len(x.get("paths", [])) != len(y.get("paths", [])):
                lines.append(f"{estate}: {q}: paths: {len(x['paths'])} → {len(y['paths'])}")
                continue
            for i, (p, r) in enumerate(zip(x.get("paths", []), y.get("paths", []))):
                for field in p:
                    if p[field] != r.get(field):
                        lines.append(f"{estate}: {q}: path {i} ({p['subnet_id']}): {field}: "
                                     f"{json.dumps(p[field])} → {json.dumps(r.get(field))}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="write every answer as canonical JSON")
    d.add_argument("--size", action="append", choices=sorted(SIZES), help="bench sizes (default S and M)")
    d.add_argument("-o", "--output", required=True)
    c = sub.add_parser("compare", help="list every difference between two dumps; exit 1 if any")
    c.add_argument("old")
    c.add_argument("new")
    args = parser.parse_args(argv)
    if args.command == "dump":
        Path(args.output).write_text(json.dumps(dump(args.size or ["S", "M"]), indent=1, sort_keys=True))
        return
    lines = compare(json.loads(Path(args.old).read_text()), json.loads(Path(args.new).read_text()))
    print("\n".join(lines) if lines else "no difference")
    counts = {e: len(v) for e, v in json.loads(Path(args.new).read_text()).items()}
    print(f"{sum(counts.values())} answers in {len(counts)} estates compared", file=sys.stderr)
    raise SystemExit(1 if lines else 0)


if __name__ == "__main__":
    main()
