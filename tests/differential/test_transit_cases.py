"""Replay the minimal transit estates on which the engine and the simulator disagreed (transit_cases/).

The simulator must give each case's expected verdict; the engine is held to it once the transit
walk of docs/semantics.md §6t has landed and REACH_DIFF_TRANSIT=1 switches the comparison on.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from reach import can_reach, parse_snapshot

from .simulator import simulate
from .switch import TRANSIT

CASES = sorted((Path(__file__).parent / "transit_cases").glob("*.json"))


def _load(case: Path) -> tuple[dict, dict]:
    doc = json.loads(case.read_text())
    return doc, doc["packet"]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_simulator_gives_the_expected_verdict(case):
    doc, p = _load(case)
    assert simulate(doc["estate"], doc["function"], doc["subnet_id"], p["ip"], p["port"],
                    p["protocol"]) == doc["expected"], doc["title"]


@pytest.mark.skipif(not TRANSIT, reason="the engine is compared on transit with REACH_DIFF_TRANSIT=1")
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_engine_gives_the_expected_verdict(case):
    doc, p = _load(case)
    answer = can_reach(parse_snapshot(doc["estate"]), doc["function"], f"{p['ip']}:{p['port']}",
                       protocol=p["protocol"])
    path = next(x for x in answer.paths if x.subnet_id == doc["subnet_id"])
    got = str(getattr(path.verdict, "value", path.verdict))
    assert got == doc["expected"], f"{case.name}: {doc['title']}\n{doc['note']}\n" \
                                   f"{json.dumps(answer.to_dict(), indent=1)}"
