"""Where a cold `reach can FUNCTION TARGET -f json` spends its time, phase by phase: run it in a fresh
interpreter (`python bench/cold.py bench/out/M-1.json fn-00000 dynamodb`), as the CLI runs them.

Phases: the CLI with typer and pydantic, reach's models, the engine, loading (reading and
validating), the estate's indexes, the question, the JSON. CPU seconds (steady on a shared machine)
and wall seconds; the interpreter's own start is the CPU the process had used before the first line."""
from __future__ import annotations

import sys
import time

_marks = [("start", time.process_time(), time.perf_counter())]


def _mark(name: str) -> None:
    _marks.append((name, time.process_time(), time.perf_counter()))


def main() -> None:
    if len(sys.argv) != 4:
        raise SystemExit("usage: bench/cold.py SNAPSHOT FUNCTION TARGET")
    path, source, target = sys.argv[1:]
    import os
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as reach.cli.app.main does
    import typer._adapters  # noqa: F401  what typer loads as it builds the commands (pydantic)
    from reach.cli import app  # noqa: F401
    _mark("CLI, typer, pydantic")
    import reach.model  # noqa: F401
    _mark("reach's models")
    import json

    from reach.engine.query import can_reach
    from reach.render.fix_commands import answer_with_commands
    _mark("the engine")
    from reach.model import load_snapshot
    snap = load_snapshot(path)
    _mark("loading")
    from reach.estate import Estate
    Estate.of(snap)
    _mark("the estate")
    answer = can_reach(snap, source, target)
    _mark("the question")
    json.dumps(answer_with_commands(answer.to_dict(), answer, None), indent=2)
    _mark("the JSON")
    print(f"interpreter start: {_marks[0][1]:.3f} s CPU")
    for (_, cpu0, wall0), (name, cpu1, wall1) in zip(_marks, _marks[1:]):
        print(f"{name:<22} {cpu1 - cpu0:7.3f} s CPU {wall1 - wall0:7.3f} s wall")
    print(f"{'total':<22} {_marks[-1][1]:7.3f} s CPU")


if __name__ == "__main__":
    main()
