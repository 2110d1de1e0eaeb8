"""The one output path of a command's result: its JSON for programs, else its text view for people."""
from __future__ import annotations

import json
from typing import Any, Callable

from ..answer import Answer
from ..questions.diff import SnapshotDiff
from ..questions.enis import EniPlan
from ..questions.summary import SnapshotSummary
from .answer import render_answer
from .console import print_json
from .enis import render_enis
from .review import render_diff
from .show import render_show

# The text view of each kind of result.
TEXT: dict[type, Callable[..., None]] = {
    Answer: render_answer, SnapshotSummary: render_show, EniPlan: render_enis, SnapshotDiff: render_diff,
}


def emit(obj: Any, fmt: str, **options: Any) -> None:
    """Print `obj` as `fmt`: `json` is its `to_dict()`, dumped; `text` is its view (with `options`)."""
    if fmt == "json":
        print_json(json.dumps(obj.to_dict(), indent=2))
    else:
        TEXT[type(obj)](obj, **options)
