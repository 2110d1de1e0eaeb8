"""The answer cache of `reach can` (cli/cache.py): the same bytes from the cache as from the engine, and
a cache file that is corrupt, stale, foreign or switched off is never trusted."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reach.answer import answer_from_plain, answer_to_plain
from reach.cli import app
from reach.questions.audit import audit
from reach import load_snapshot

from .conftest import ROOT, sample_dirs

CATEGRAM = ROOT / "samples" / "categram" / "snapshot.json"


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("REACH_NO_CACHE", raising=False)
    return home


def can(*args: str):
    return CliRunner().invoke(app, ["can", *args])


def cache_files(home: Path) -> list[Path]:
    return sorted(p for p in home.rglob("*.json") if p.is_file())


@pytest.mark.parametrize("folder", sample_dirs(), ids=lambda p: p.name)
def test_plain_form_gives_back_every_answer(folder):
    """Every answer the cache keeps: those without an IAM judgement (which it never stores)."""
    kept = [a for a in audit(load_snapshot(folder / "snapshot.json")).results if a.permission is None]
    assert kept
    for a in kept:
        assert answer_from_plain(json.loads(json.dumps(answer_to_plain(a)))) == a


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_repeated_question_prints_the_same_bytes(cache_home, fmt):
    args = ("spread", "internet", "-s", str(CATEGRAM), "-f", fmt)
    first = can(*args)
    assert cache_files(cache_home), "the first answer was written to the cache"
    second = can(*args)
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)
    fresh = can(*args, "--no-cache")
    assert (fresh.exit_code, fresh.stdout) == (first.exit_code, first.stdout)


def test_the_cache_is_really_read(cache_home):
    """A planted entry is what the second run prints: the cache, not the engine, answered."""
    args = ("api", "dynamodb", "-s", str(CATEGRAM), "-f", "json")
    real = json.loads(can(*args).stdout)
    [path] = cache_files(cache_home)
    data = json.loads(path.read_text())
    [key] = data["answers"]
    data["answers"][key]["source"]["function"] = "planted"
    path.write_text(json.dumps(data))
    assert json.loads(can(*args).stdout)["source"]["function"] == "planted"
    assert json.loads(can(*args, "--no-cache").stdout) == real


def test_a_cached_answer_loads_neither_model_nor_engine(cache_home):
    cmd = [sys.executable, "-c",
           "import sys, runpy\nsys.argv = ['reach', *sys.argv[1:]]\n"
           "try:\n    runpy.run_module('reach', run_name='__main__')\nexcept SystemExit:\n    pass\n"
           "sys.stderr.write('\\n' + ' '.join(sys.modules))",
           "can", "spread", "s3", "-s", str(CATEGRAM), "-f", "json"]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    cold = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    warm = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert warm.stdout == cold.stdout and json.loads(warm.stdout)["verdict"]
    assert "reach.engine.query" in cold.stderr.split()
    loaded = warm.stderr.splitlines()[-1].split()
    assert not [m for m in loaded if m.startswith(("reach.engine", "reach.model", "reach.estate"))]


@pytest.mark.parametrize("damage", [
    b"", b"\x00\xff garbage", b"[1, 2, 3]", b'{"reach": "0.1.0"}', b"{not json",
    "entry",  # a well-formed file whose one answer has the wrong shape
])
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(cache_home, damage):
    args = ("spread", "internet", "-s", str(CATEGRAM), "-f", "json")
    first = can(*args)
    [path] = cache_files(cache_home)
    if damage == "entry":
        data = json.loads(path.read_text())
        data["answers"] = {k: {"paths": "nonsense"} for k in data["answers"]}
        path.write_text(json.dumps(data))
    else:
        path.write_bytes(damage)
    again = can(*args)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert json.loads(path.read_text())["answers"], "rebuilt"


def test_a_stale_or_foreign_file_is_not_trusted(cache_home, monkeypatch, tmp_path):
    snap = tmp_path / "snap.json"
    snap.write_bytes(CATEGRAM.read_bytes())
    args = ("api", "dynamodb", "-s", str(snap), "-f", "json")
    real = can(*args).stdout
    [path] = cache_files(cache_home)
    data = json.loads(path.read_text())
    for entry in data["answers"].values():
        entry["verdict"] = "unknown"
    # Another reach version wrote it: ignored.
    path.write_text(json.dumps({**data, "reach": "0.0.0-other"}))
    assert can(*args).stdout == real
    # Owned by another user: ignored (and left alone).
    path.write_text(json.dumps(data))
    real_uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real_uid + 4242)
    assert can(*args).stdout == real
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    # A symlink to a file with the planted answers: ignored.
    planted = tmp_path / "planted.json"
    planted.write_text(json.dumps(data))
    path.unlink()
    path.symlink_to(planted)
    assert can(*args).stdout == real


def test_a_changed_snapshot_is_asked_again(cache_home, tmp_path):
    snap = tmp_path / "snap.json"
    raw = json.loads(CATEGRAM.read_text())
    snap.write_text(json.dumps(raw))
    args = ("api", "internet", "-s", str(snap), "-f", "json")
    before = json.loads(can(*args).stdout)
    for t in raw["RouteTables"]:
        t["Routes"] = [r for r in t["Routes"] if r.get("DestinationCidrBlock") != "0.0.0.0/0"]
    snap.write_text(json.dumps(raw))
    after = json.loads(can(*args).stdout)
    assert after == json.loads(can(*args, "--no-cache").stdout)
    assert after["verdict"] != before["verdict"]
    assert len(cache_files(cache_home)) == 2


def test_no_cache_and_reach_no_cache_write_nothing(cache_home, monkeypatch):
    assert can("api", "s3", "-s", str(CATEGRAM), "--no-cache").exit_code in (0, 1)
    monkeypatch.setenv("REACH_NO_CACHE", "1")
    assert can("api", "s3", "-s", str(CATEGRAM)).exit_code in (0, 1)
    assert cache_files(cache_home) == []
    monkeypatch.setenv("REACH_NO_CACHE", "0")
    can("api", "s3", "-s", str(CATEGRAM))
    assert len(cache_files(cache_home)) == 1


def test_no_cache_is_refused_for_standard_input(cache_home):
    result = CliRunner().invoke(app, ["can", "api", "s3", "-s", "-", "--no-cache"], input=CATEGRAM.read_text())
    assert result.exit_code == 2
    assert "--no-cache" in result.output
    assert cache_files(cache_home) == []


def test_bad_input_is_not_cached(cache_home):
    result = can("no-such-function", "s3", "-s", str(CATEGRAM))
    assert result.exit_code == 2
    assert all(not json.loads(p.read_text())["answers"] for p in cache_files(cache_home))


PLAN = ROOT / "samples" / "categram-plan" / "plan.json"


def test_terraform_sources_are_never_cached(cache_home):
    """Their output carries Terraform addresses that the cache does not keep."""
    plain = can("reports", "internet", "--snapshot", str(PLAN), "-f", "json")
    assert plain.exit_code in (0, 1), plain.output
    assert "terraform" in json.loads(plain.stdout)
    again = can("reports", "internet", "--snapshot", str(PLAN), "-f", "json")
    assert again.stdout == plain.stdout
    with_plan = can("exporter", "internet", "--snapshot", str(CATEGRAM), "--plan", str(PLAN), "-f", "json")
    assert with_plan.exit_code in (0, 1), with_plan.output
    assert all(not json.loads(p.read_text())["answers"] for p in cache_files(cache_home))
    refused = can("exporter", "internet", "--snapshot", str(CATEGRAM), "--plan", str(PLAN), "--no-cache")
    assert refused.exit_code == 2 and "--no-cache" in refused.output


def test_answers_with_a_permission_judgement_are_not_cached(cache_home):
    """dynamodb:TABLE judges the execution role too; that part is not plain data in the cache."""
    snap = str(ROOT / "samples" / "permissions" / "snapshot.json")
    first = can("writer", "dynamodb:orders", "--snapshot", snap, "-f", "json")
    assert first.exit_code in (0, 1), first.output
    assert json.loads(first.stdout).get("permission")
    assert can("writer", "dynamodb:orders", "--snapshot", snap, "-f", "json").stdout == first.stdout
    assert all(not json.loads(p.read_text())["answers"] for p in cache_files(cache_home))
    network = can("writer", "dynamodb", "--snapshot", snap, "-f", "json")
    assert network.exit_code in (0, 1)
    assert any(json.loads(p.read_text())["answers"] for p in cache_files(cache_home))
