"""Write a snapshot atomically: a temporary file beside the target, then one rename."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ReachInputError


def write_snapshot(snapshot: dict[str, Any], output: str | Path) -> None:
    """Write JSON to `output`, or to standard output for `-`; never leave a half-written file."""
    text = json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"
    if str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(output)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ReachInputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())  # as an ordinary write would; mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException as exc:  # an interrupt too: the temporary file goes, the target is untouched
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise ReachInputError(f"cannot write: {exc.strerror}", file=str(path)) from None
        raise


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
