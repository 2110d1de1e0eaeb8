"""Replay a saved engine/simulator disagreement (disagreements/, transit_cases/) on either side."""
from __future__ import annotations

import json
from pathlib import Path

from reach import can_reach, parse_snapshot

from .simulator import simulate


def load(case: Path) -> dict:
    return json.loads(case.read_text())


def simulator_verdict(doc: dict) -> str:
    p = doc["packet"]
    return simulate(doc["estate"], doc["function"], doc["subnet_id"], p["ip"], p["port"],
                    p["protocol"])


def engine_check(case: Path, doc: dict) -> tuple[str, str]:
    """The engine's verdict for the case's path, and a report for when it is not the expected."""
    p = doc["packet"]
    spec = f"[{p['ip']}]:{p['port']}" if ":" in p["ip"] else f"{p['ip']}:{p['port']}"
    answer = can_reach(parse_snapshot(doc["estate"]), doc["function"], spec, protocol=p["protocol"])
    path = next(x for x in answer.paths if x.subnet_id == doc["subnet_id"])
    got = str(getattr(path.verdict, "value", path.verdict))
    report = json.dumps(answer.to_dict(), indent=1)
    return got, f"{case.name}: {doc['title']}\n{doc['note']}\n{report}"
