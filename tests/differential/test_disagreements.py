"""Replay the minimal estates on which the engine and the simulator once disagreed (disagreements/NN.json)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from reach import can_reach, parse_snapshot

from .simulator import simulate

CASES = sorted((Path(__file__).parent / "disagreements").glob("*.json"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_simulator_gives_the_expected_verdict(case):
    doc = json.loads(case.read_text())
    p = doc["packet"]
    assert simulate(doc["estate"], doc["function"], doc["subnet_id"], p["ip"], p["port"],
                    p["protocol"]) == doc["expected"]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_engine_gives_the_expected_verdict(case):
    doc = json.loads(case.read_text())
    p = doc["packet"]
    answer = can_reach(parse_snapshot(doc["estate"]), doc["function"], f"{p['ip']}:{p['port']}",
                       protocol=p["protocol"])
    path = next(x for x in answer.paths if x.subnet_id == doc["subnet_id"])
    got = str(getattr(path.verdict, "value", path.verdict))
    assert got == doc["expected"], f"{case.name}: {doc['title']}\n{doc['note']}\n" \
                                   f"{json.dumps(answer.to_dict(), indent=1)}"
