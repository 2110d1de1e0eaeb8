"""Write a collection as contract §1.3's `accounts/<id>/<region>/<Key>.json`, one account at a time.

Each account is written to a hidden staging directory beside its place, flushed, then renamed into
place in one step: an interrupted run leaves every account either complete or absent (the loader
skips hidden directories), and `--resume` reads a present account as complete unless it records
that it could not be read at all.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from ..errors import ReachInputError
from .write import current_umask

ACCOUNTS = "accounts"
# Gaps of these calls mean the account was not read at all; `--resume` tries such an account again.
ACCOUNT_LEVEL_CALLS = {("sts", "AssumeRole"), ("sts", "GetCallerIdentity"), ("ec2", "DescribeRegions")}


def wants_directory(output: str) -> bool:
    """`--output DIR`: an existing directory, or a path written with a trailing slash."""
    return output != "-" and (output.endswith(("/", os.sep)) or Path(output).is_dir())


def prepare(root: str | Path) -> Path:
    """Create `root/accounts/` (and root, when its parent exists); exit 2 when it cannot be."""
    path = Path(root)
    try:
        (path / ACCOUNTS).mkdir(parents=not path.exists() and path.parent.is_dir(), exist_ok=True)
    except OSError as exc:
        raise ReachInputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    return path


def write_account(root: Path, account_id: str, regions: dict[str, dict[str, list]]) -> Path:
    """Write one account's regions, one file per snapshot key, replacing any earlier copy."""
    base = root / ACCOUNTS
    target = base / account_id
    staging = Path(tempfile.mkdtemp(dir=base, prefix=f".{account_id}.", suffix=".partial"))
    old: Path | None = None
    try:
        for region, lists in sorted(regions.items()):
            folder = staging / region
            folder.mkdir()
            for key, items in lists.items():
                _write_file(folder / f"{key}.json", {key: items})
        os.chmod(staging, 0o777 & ~current_umask())
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=base, prefix=f".{account_id}.", suffix=".old"))
            os.replace(target, old / account_id)
        os.replace(staging, target)
    except BaseException as exc:
        if old is not None and (old / account_id).exists() and not target.exists():
            os.rename(old / account_id, target)  # the earlier copy goes back in place
        for leftover in (staging, old):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ReachInputError(f"cannot write: {exc.strerror}", file=str(target)) from None
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def complete(root: Path, account_id: str, regions: Iterable[str] | None) -> bool:
    """An account already written whole: every wanted region present (any, when `regions` is
    None: --all-regions), and no record that the account itself could not be read."""
    folder = root / ACCOUNTS / account_id
    if not folder.is_dir():
        return False
    present = {p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")}
    if not present or (regions is not None and not set(regions) <= present):
        return False
    for region in present:
        gaps = folder / region / "Gaps.json"
        try:
            records = json.loads(gaps.read_text()).get("Gaps", []) if gaps.is_file() else []
        except (OSError, ValueError, AttributeError):
            return False
        if any((g.get("Service"), g.get("Call")) in ACCOUNT_LEVEL_CALLS for g in records):
            return False
    return True


def _write_file(path: Path, value: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(value, indent=1, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())

