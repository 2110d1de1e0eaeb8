"""The answer cache of `reach can`: a repeated question of an unchanged snapshot is not asked again.

One JSON file per snapshot in the user's cache directory (platformdirs), named by the SHA-256 of
the snapshot's bytes and kept under a directory named by reach's version and a fingerprint of its
own source, so an answer is never reused by another reach. Plain data only (JSON, never pickle):
reading a cache file cannot run code. A file that is stale, corrupt, a symlink or not owned by
this user is ignored; writes go to a temporary file that is renamed into place. `--no-cache` or
`REACH_NO_CACHE` (any value but "" or "0") turns it off; standard input is never cached.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from ..version import __version__

FORMAT = 1  # the layout of a cache file; part of the directory name
KEEP_FILES = 32  # snapshots remembered per reach; the least recently written go first
KEEP_ANSWERS = 512  # questions remembered per snapshot


def disabled_by_env() -> bool:
    return os.environ.get("REACH_NO_CACHE", "") not in ("", "0")


def snapshot_digest(source: str) -> str | None:
    """SHA-256 of a snapshot file, or of a directory's files (relative names and bytes, sorted);
    None for standard input or a path that is neither (the loader then reports it)."""
    path = Path(source)
    h = hashlib.sha256()
    try:
        if path.is_file():
            with path.open("rb") as f:
                h.update(b"file\0")
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
        elif path.is_dir():
            h.update(b"dir\0")
            for p in sorted(q for q in path.rglob("*") if q.is_file()):
                name = p.relative_to(path).as_posix().encode()
                data = p.read_bytes()
                h.update(b"%d:%s%d:" % (len(name), name, len(data)) + data)
        else:
            return None
    except OSError:
        return None
    return h.hexdigest()


def _code_fingerprint() -> str:
    """reach's version and the size and mtime of every module it is made of: an edited checkout
    (an editable install keeps its version) never reads answers its older self wrote."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*.py")):
        st = p.stat()
        h.update(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    from platformdirs import user_cache_dir
    return Path(user_cache_dir("reach")) / f"answers-v{FORMAT}-{__version__}-{_code_fingerprint()}"


class AnswerCache:
    """The cached answers of one snapshot: `get` and `put` by question; `save` writes them back."""

    def __init__(self, digest: str, directory: Path | None = None) -> None:
        self.digest = digest
        self.path = (directory or cache_dir()) / f"{digest}.json"
        self.answers: dict[str, Any] = self._read()
        self.changed = False

    def _read(self) -> dict[str, Any]:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return {}
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
                return {}
            with os.fdopen(os.dup(fd), "rb") as f:
                data = json.loads(f.read())
        except (OSError, ValueError):
            return {}
        finally:
            os.close(fd)
        if not isinstance(data, dict) or data.get("reach") != __version__ or data.get("format") != FORMAT \
                or data.get("snapshot") != self.digest or not isinstance(data.get("answers"), dict):
            return {}
        return data["answers"]

    def get(self, question: str) -> Any:
        return self.answers.get(question)

    def put(self, question: str, plain: Any) -> None:
        self.answers.pop(question, None)
        self.answers[question] = plain  # the newest last: the oldest are dropped first
        while len(self.answers) > KEEP_ANSWERS:
            self.answers.pop(next(iter(self.answers)))
        self.changed = True

    def save(self) -> None:
        """Write atomically (a temporary file renamed into place); a cache that cannot be written
        is no error: the answer was given."""
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            body = json.dumps({"reach": __version__, "format": FORMAT, "snapshot": self.digest,
                               "answers": self.answers}, separators=(",", ":")).encode()
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(body)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _prune(self.path.parent)
        except OSError:
            pass


def _prune(directory: Path) -> None:
    files = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)
