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

    With `jobs` > 1 the questions are cut into contiguous pieces (neighbours share a VPC, so each
    process's memo stays useful), each with its share of `also`, and answered by forked processes
    too; the answers come back in order, so the report is the same, byte for byte, as with one
    process.

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


_PIECES_PER_JOB = 32  # the questions are cut into this many pieces per process, taken in turn


def _in_parallel(snapshot: Snapshot, work: list[tuple[str, Target, str | None]], jobs: int,
                 hops: bool, compact: Compact | None, also: Also | None) -> tuple[list[Answer], list]:
    """Cut the questions into contiguous pieces, which this process and `jobs - 1` forked ones
    (sharing the loaded snapshot copy-on-write) take in turn until none is left: whoever is done
    first takes the next, so no process waits long for another. A worker writes what it answered
    to a file of a private directory, which this process reads when no piece is left: sent through
    a pipe, the answers would stall the worker until this busy process drained it (on L, a second
    per worker). The pieces are put back in order, so the report is the same as with one process."""
    pieces = _pieces(work, jobs * _PIECES_PER_JOB)
    count = len(pieces)
    Estate.of(snapshot).build_all()  # once, before the fork, rather than once per process
    fork = multiprocessing.get_context("fork")
    taken = fork.Value("i", 0)  # the next piece to answer, shared by every process

    def share(keep: Callable[[tuple[int, list[Answer], list]], None]) -> None:
        while True:
            with taken.get_lock():
                n = taken.value
                taken.value = n + 1
            if n >= count:
                return
            keep((n, _answer_chunk(pieces[n], snapshot, hops, compact), also(n, count) if also else []))
    workers: list[tuple[multiprocessing.process.BaseProcess, str]] = []
    with tempfile.TemporaryDirectory(prefix="reach-audit-") as private:
        try:
            for n in range(1, jobs):
                out = os.path.join(private, f"share-{n}")
                worker = fork.Process(target=_answer_share, args=(share, out), daemon=True)
                worker.start()
                workers.append((worker, out))
            done: list[tuple[int, list[Answer], list]] = []
            share(done.append)
            for worker, out in workers:
                worker.join()
                done.extend(_read_share(worker, out))
        finally:
            for worker, _ in workers:
                if worker.is_alive():
                    worker.terminate()
                    worker.join()
    done.sort(key=lambda piece: piece[0])
    return [a for _, answers, _ in done for a in answers], [x for _, _, more in done for x in more]


def _pieces(work: list[tuple[str, Target, str | None]], count: int) -> list[list]:
    """About `count` contiguous runs of the questions, each cut where the VPC changes when one
    does within half a run (so two processes seldom build the same VPC's decisions)."""
    pieces, start, reach = [], 0, len(work) // count // 2
    for i in range(1, count):
        cut = even = max(start, len(work) * i // count)
        while 0 < cut < len(work) and work[cut][2] == work[cut - 1][2] and cut - even < reach:
            cut += 1
        if 0 < cut < len(work) and work[cut][2] == work[cut - 1][2]:
            cut = even  # one VPC's long run (or the functions outside any): cut inside it
        if cut > start:
            pieces.append(work[start:cut])
            start = cut
    return [*pieces, work[start:]] if start < len(work) else pieces


def _answer_share(share: Callable[[Callable[[Any], None]], None], out: str) -> None:
    """A forked worker: do its share, writing each piece's results as soon as they are made (or
    the error to raise in the parent: never a traceback of its own) where the parent will read
    them; the file gets its name only when complete."""
    with open(out + ".part", "wb") as f:
        def keep(piece: Any) -> None:
            pickle.dump(("piece", piece), f, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            share(keep)
        except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
            pickle.dump(("error", error), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(out + ".part", out)


def _read_share(worker: multiprocessing.process.BaseProcess, out: str) -> list:
    """What a worker wrote (reach's own process, into this process's private directory)."""
    if not os.path.exists(out):
        raise RuntimeError(f"an audit worker stopped without answering (exit status {worker.exitcode})")
    found = []
    with open(out, "rb") as f:
        while True:
            try:
                kind, value = pickle.load(f)
            except EOFError:
                return found
            if kind == "error":
                raise value
            found.append(value)


# The memos of decisions the walk keeps per question (query.py, rules.py, routes.py): worth
# keeping while the questions of one VPC are answered, and dropped when the next VPC's begin, so
# an audit holds one VPC's decisions at a time, not the whole estate's (docs/performance.md: Memory).
_PER_VPC_MEMOS = ("paths", "destinations", "acl", "sg", "routes", "senders", "holding")


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
