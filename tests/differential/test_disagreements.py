"""Replay the minimal estates on which the engine and the simulator once disagreed (disagreements/NN.json)."""
from __future__ import annotations

from pathlib import Path

import pytest

from .replay import engine_check, load, simulator_verdict

CASES = sorted((Path(__file__).parent / "disagreements").glob("*.json"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_simulator_gives_the_expected_verdict(case):
    doc = load(case)
    assert simulator_verdict(doc) == doc["expected"]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_engine_gives_the_expected_verdict(case):
    doc = load(case)
    got, report = engine_check(case, doc)
    assert got == doc["expected"], report
