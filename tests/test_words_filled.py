"""Every blocker an audit gives carries each parameter its reason and its fix are worded from: no
reason or fix shows a `?` for a parameter the engine forgot (the catalogue's `fill` blank)."""
from __future__ import annotations

import string
from pathlib import Path

import pytest

from bench.generate import SIZES, generate
from reach import load_snapshot, parse_snapshot
from reach.catalogue.codes import FIX_NOTES, FIXES, REASONS
from reach.questions.audit import audit

from .conftest import ROOT

SAMPLES = sorted((ROOT / "samples").glob("*/snapshot.json"))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _unfilled(blocker) -> list[str]:
    params, fix_params = dict(blocker.params), dict(blocker.fix_params)
    gaps = sorted(_fields(REASONS[blocker.code][1]) - {"component", "code"} - params.keys())
    if blocker.fix:
        notes = "".join(FIX_NOTES[k] for k in FIX_NOTES if k in fix_params)
        gaps += [f"fix {f}" for f in sorted(_fields(FIXES[blocker.fix] + notes) - fix_params.keys())]
    return gaps


def _gaps(report) -> dict[tuple[str, str], list[str]]:
    found = {}
    for answer in report.results:
        for path in answer.paths:
            for b in path.blockers:
                if gaps := _unfilled(b):
                    found[(str(b.code), f"{answer.source} -> {answer.target}")] = gaps
    return found


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_every_blocker_of_a_sample_has_the_words_of_its_reason_and_fix(sample: Path):
    assert _gaps(audit(load_snapshot(str(sample)), hops=True)) == {}


# Seed 8 has two public databases, asked about by functions outside any VPC (7.2, TC02); 47 three.
@pytest.mark.parametrize("seed", [8, 47])
def test_every_blocker_of_a_generated_estate_has_the_words_of_its_reason_and_fix(seed: int):
    raw = generate(SIZES["S"], seed=seed)
    assert any(db["PubliclyAccessible"] for db in raw["DBInstances"])
    report = audit(parse_snapshot(raw), hops=False)
    assert sum(len(p.blockers) for a in report.results for p in a.paths) > 100
    assert _gaps(report) == {}
