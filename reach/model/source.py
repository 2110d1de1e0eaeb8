"""Open what `--snapshot` and `--plan` name: a snapshot, a Terraform plan or state, or a
CloudFormation template (told by content)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .load import load_snapshot as _load, parse_snapshot
from .snapshot import Snapshot

# The Terraform and CloudFormation readers (and PyYAML) are imported only for a plan, a state or a
# template: a snapshot of AWS shapes needs neither (docs/performance.md, "A cold reach can").


def load_template(*args, **kwargs) -> Snapshot:
    from .cloudformation import load_template as load
    return load(*args, **kwargs)


def load_plan(*args, **kwargs) -> Snapshot:
    from .terraform import load_plan as load
    return load(*args, **kwargs)


def load_snapshot(source: str | Path, *, region: str | None = None,
                  plan: str | Path | None = None) -> Snapshot:
    """Load a snapshot file, directory or `-`, which may itself be a Terraform plan or state
    (`terraform show -json` output), and apply `plan` onto it when given."""
    base = _open(source, region)
    return _change(plan, base) if plan is not None else base


def open_plan(plan: str | Path, *, base: str | Path | None = None,
              region: str | None = None) -> Snapshot:
    """A plan applied onto `base`, or standing alone (data sources from prior_state) when base is
    None; standard input is read only when `base` is `-`."""
    return _change(plan, _open(base, region) if base is not None else None)


def _change(plan: str | Path, base: Snapshot | None) -> Snapshot:
    """A Terraform plan, or a CloudFormation template (a stack to create), onto `base`."""
    if _is_template(Path(plan)):
        return load_template(plan, base=base)
    return load_plan(plan, base=base)


def _is_template(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError:
        return False
    return b"AWSTemplateFormatVersion" in head or (b"Resources" in head and b"AWS::" in head
                                                   and b'"format_version"' not in head)


def _open(source: str | Path, region: str | None) -> Snapshot:
    if str(source) == "-":
        data = sys.stdin.buffer.read()
        parsed = _terraform(data)
        return load_plan(parsed, name="<stdin>") if parsed is not None else parse_snapshot(data, name="<stdin>")
    path = Path(source)
    if path.is_file() and _is_template(path):
        return load_template(path)
    if path.is_file():
        try:
            with path.open("rb") as f:
                head = f.read(4096)
        except OSError:
            head = b""
        if b'"format_version"' in head:
            parsed = _terraform(path.read_bytes())
            if parsed is not None:
                return load_plan(parsed, name=str(path))
    return _load(source, region=region)


def _terraform(data: bytes) -> dict | None:
    """`terraform show -json` output, parsed, when the bytes are one (it carries format_version)."""
    if b'"format_version"' not in data[:4096]:
        return None
    try:
        parsed = json.loads(data)
    except ValueError:
        return None
    from .terraform import looks_like_terraform
    return parsed if looks_like_terraform(parsed) else None
