"""`reach audit -f json` keeps each answer's paths as their JSON text (render.audit.json_compactor):
the bytes written are the ones the full answers give, in one process or several."""
from __future__ import annotations

import io

import pytest

from bench.generate import SIZES, generate
from reach import parse_snapshot
from reach.questions.audit import audit
from reach.render import console
from reach.render.audit import _Written, json_compactor, render_audit
from reach.render.fix_commands import FixFormat


@pytest.fixture(scope="module")
def raw() -> dict:
    raw = generate(SIZES["XS"], seed=7, functions=120)  # more than a fork's worth of questions
    raw["NatGateways"] = raw["NatGateways"][1:]  # answers that miss ids (unknown)
    return raw


def written(report, monkeypatch, **options) -> str:
    buffer = io.StringIO()
    monkeypatch.setattr(console.out, "_file", buffer)  # (the `file` property would keep the old stream)
    render_audit(report, "json", **options)
    return buffer.getvalue()


@pytest.mark.parametrize("hops, fix_format", [(False, None), (True, None), (False, FixFormat.terraform)])
@pytest.mark.parametrize("jobs", [1, 2])
def test_compacted_answers_write_the_same_bytes(raw, monkeypatch, hops, fix_format, jobs):
    full = audit(parse_snapshot(raw), hops=hops, jobs=jobs)
    lean = audit(parse_snapshot(raw), hops=hops, jobs=jobs,
                 compact=json_compactor(hops=hops, fix_format=fix_format))
    assert all(isinstance(p, _Written) for a in lean.results for p in a.paths)
    assert any(a.missing for a in full.results)
    assert [a.missing for a in lean.results] == [a.missing for a in full.results]
    expected = written(full, monkeypatch, hops=hops, fix_format=fix_format)
    assert expected.startswith('{"results": [{')
    assert written(lean, monkeypatch, hops=hops, fix_format=fix_format) == expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_answer_shared_with_a_pending_or_inactive_function_is_written_with_its_own_notes(raw, monkeypatch,
                                                                                           jobs):
    """Functions of one VpcConfig share an answer, written once where it was made; a Pending or
    Inactive one's answer carries notes of its own (1.9, 1.11), so it is written anew."""
    raw = {**raw, "Functions": [dict(fn) for fn in raw["Functions"]]}
    for n, fn in enumerate(raw["Functions"]):
        if n % 7 == 3:
            fn["State"] = "Pending"
        elif n % 11 == 5:
            fn["State"] = "Inactive"
    full = audit(parse_snapshot(raw), hops=False, jobs=jobs)
    lean = audit(parse_snapshot(raw), hops=False, jobs=jobs, compact=json_compactor(hops=False))
    own_notes = [a for a in lean.results if a.paths.made_for[3] != a.notes]
    assert own_notes and any(n["code"] == "FUNCTION_PENDING" for a in own_notes for n in a.notes)
    assert written(lean, monkeypatch, hops=False) == written(full, monkeypatch, hops=False)
