"""Answer an audit's distinct questions once each, VPC by VPC, in this process or in forked ones."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from typing import Any, Callable

from ..answer import Answer
from ..engine.query import can_reach, vpc_of
from ..engine.targets import Target
from ..estate import Estate
from ..gcpause import paused
from ..model import Snapshot

Compact = Callable[[Answer], Answer]
"""What the audit keeps of each answer, applied where the answer is made (render.audit.json_compactor)."""

_FORK_BELOW = 64  # fewer distinct questions than this are answered here: a fork costs more

Also = Callable[[int, int], list]
"""Other work of the audit's, cut like the questions: `also(i, n)` does the i-th of n shares."""


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ask(snapshot: Snapshot, questions: list[tuple[tuple, tuple[str, Target, object]]], *,
        jobs: int = 1, hops: bool = True, compact: Compact | None = None,
        also: Also | None = None) -> tuple[dict[tuple, Answer], list]:
    """Answer each (key, (source, target, _)) once; keys group the questions that share an answer.
    Returns the answers by key, and what `also` gave for each share, in share order.

    With `jobs` > 1 the questions are cut into contiguous runs (neighbours share a VPC, so each
    process's memo stays useful) and answered by forked processes, each of which also does its
    share of `also`; the answers come back in order, so the report is the same, byte for byte, as
    with one process.

    They are answered VPC by VPC (an answer does not depend on the order: every memo is a pure
    cache), so that each VPC's decisions can be dropped when the next VPC's questions begin."""
    estate = Estate.of(snapshot)
    placed = sorted(((vpc_of(estate, fn) or "", key, source, tgt) for key, (source, tgt, fn) in questions),
                    key=lambda q: q[0])
    work = [(source, tgt, vpc) for vpc, _, source, tgt in placed]
    if jobs <= 1 or len(work) < _FORK_BELOW or "fork" not in multiprocessing.get_all_start_methods():
        answered, more = _answer_chunk(work, snapshot, hops, compact), also(0, 1) if also else []
    else:
        answered, more = _in_parallel(snapshot, work, jobs, hops, compact, also)
    return {key: a for (_, key, _, _), a in zip(placed, answered)}, more


def _in_parallel(snapshot: Snapshot, work: list[tuple[str, Target, str | None]], jobs: int,
                 hops: bool, compact: Compact | None, also: Also | None) -> tuple[list[Answer], list]:
    """Cut the questions into `jobs` contiguous shares: this process answers the first, and a
    forked process each other one (sharing the loaded snapshot copy-on-write). A worker writes its
    answers to a file of a private directory, which this process reads when its own share is done:
    sent through a pipe, they would stall the worker until this busy process drained it (on L, a
    second per worker)."""
    shares = [work[len(work) * i // jobs: len(work) * (i + 1) // jobs] for i in range(jobs)]
    Estate.of(snapshot).build_all()  # once, before the fork, rather than once per process

    def share(n: int) -> tuple[list[Answer], list]:
        return _answer_chunk(shares[n], snapshot, hops, compact), also(n, jobs) if also else []
    fork = multiprocessing.get_context("fork")
    workers: list[tuple[multiprocessing.process.BaseProcess, str]] = []
    with tempfile.TemporaryDirectory(prefix="reach-audit-") as private:
        try:
            for n in range(1, jobs):
                out = os.path.join(private, f"share-{n}")
                worker = fork.Process(target=_answer_share, args=(share, n, out), daemon=True)
                worker.start()
                workers.append((worker, out))
            answered, more = share(0)
            for worker, out in workers:
                worker.join()
                theirs, their_more = _read_share(worker, out)
                answered.extend(theirs)
                more.extend(their_more)
        finally:
            for worker, _ in workers:
                if worker.is_alive():
                    worker.terminate()
                    worker.join()
    return answered, more


def _answer_share(share: Callable[[int], Any], n: int, out: str) -> None:
    """A forked worker: do share `n`, and write what came of it (its results, or the error to
    raise in the parent: never a traceback of its own) where the parent will read it."""
    try:
        result = ("answers", share(n))
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        result = ("error", error)
    with open(out + ".part", "wb") as f:
        pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(out + ".part", out)


def _read_share(worker: multiprocessing.process.BaseProcess, out: str) -> Any:
    """What a worker wrote (reach's own process, into this process's private directory)."""
    if not os.path.exists(out):
        raise RuntimeError(f"an audit worker stopped without answering (exit status {worker.exitcode})")
    with open(out, "rb") as f:
        kind, value = pickle.load(f)
    if kind == "error":
        raise value
    return value


# The memos of decisions the walk keeps per question (query.py, rules.py, routes.py): worth
# keeping while the questions of one VPC are answered, and dropped when the next VPC's begin, so
# an audit holds one VPC's decisions at a time, not the whole estate's (docs/performance.md: Memory).
_PER_VPC_MEMOS = ("paths", "destinations", "acl", "sg", "routes")


def _answer_chunk(work: list[tuple[str, Target, str | None]], snap: Snapshot, keep: bool,
                  compact: Compact | None) -> list[Answer]:
    """Answer a run of questions in order, VPC by VPC; `keep`: with their hops."""
    memo = Estate.of(snap).memo
    answers, vpc = [], None
    with paused():  # also in a forked process (reach.gcpause)
        for source, tgt, here in work:
            if here != vpc:
                for name in _PER_VPC_MEMOS:
                    memo.pop(name, None)
                vpc = here
            a = can_reach(snap, source, tgt, network_only_note=False, trace=keep)
            if not keep:  # the traces go now, not after the last answer (the paths are this answer's own)
                for p in a.paths:
                    p.hops, p.trail = [], []
            answers.append(compact(a) if compact else a)
    return answers
