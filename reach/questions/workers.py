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


def ask(snapshot: Snapshot, questions: list[tuple[str, Target, object]], *,
        jobs: int = 1, hops: bool = True, compact: Compact | None = None,
        also: Also | None = None) -> tuple[list[Answer], list]:
    """Answer each (source, target, function) once. Returns the answers in the order of the
    questions, and what `also` gave for each share, in share order.

    With `jobs` > 1 the questions are cut into contiguous pieces (neighbours share a VPC, so each
    process's memo stays useful), each with its share of `also`, and answered by forked processes
    too; the answers come back in order, so the report is the same, byte for byte, as with one
    process.

    They are answered VPC by VPC (an answer does not depend on the order: every memo is a pure
    cache), so that each VPC's decisions can be dropped when the next VPC's questions begin."""
    estate = Estate.of(snapshot)
    placed = sorted(((vpc_of(estate, fn) or "", i, source, tgt) for i, (source, tgt, fn) in enumerate(questions)),
                    key=lambda q: q[0])
    work = [(source, tgt, vpc) for vpc, _, source, tgt in placed]
    if jobs <= 1 or len(work) < _FORK_BELOW or "fork" not in multiprocessing.get_all_start_methods():
        answered, more = _answer_chunk(work, snapshot, hops, compact), also(0, 1) if also else []
    else:
        answered, more = _in_parallel(snapshot, work, jobs, hops, compact, also)
    answers: list[Answer] = [None] * len(questions)  # type: ignore[list-item]
    for (_, i, _, _), a in zip(placed, answered):
        answers[i] = a
    return answers, more


_PIECES_PER_JOB = 32  # the questions are cut into about this many pieces per process, taken in turn


def _in_parallel(snapshot: Snapshot, work: list[tuple[str, Target, str | None]], jobs: int,
                 hops: bool, compact: Compact | None, also: Also | None) -> tuple[list[Answer], list]:
    """Cut the questions into contiguous pieces, which this process and `jobs - 1` forked ones
    (sharing the loaded snapshot copy-on-write) take in turn until none is left: whoever is done
    first takes the next, so no process waits long for another. A worker writes each piece it
    answered to a file of its own in a private directory, which this process reads between its own
    pieces (and the rest when none is left): sent through a pipe, the answers would stall the
    worker until this busy process drained it (on L, a second per worker). The pieces are put back
    in order, so the report is the same as with one process."""
    pieces = _pieces(work, jobs * _PIECES_PER_JOB)
    count = len(pieces)
    Estate.of(snapshot).build_all()  # once, before the fork, rather than once per process
    fork = multiprocessing.get_context("fork")
    taken = fork.Value("i", 0)  # the next piece to answer, shared by every process

    def share(keep: Callable[[tuple[int, list[Answer], list]], None], between: Callable[[], None]) -> None:
        while True:
            with taken.get_lock():
                n = taken.value
                taken.value = n + 1
            if n >= count:
                return
            keep((n, _answer_chunk(pieces[n], snapshot, hops, compact), also(n, count) if also else []))
            between()
    workers: list[tuple[multiprocessing.process.BaseProcess, str]] = []
    done: list[tuple[int, list[Answer], list]] = []
    with tempfile.TemporaryDirectory(prefix="reach-audit-") as private:
        read: set[str] = set()

        def collect() -> None:  # the pieces the workers have finished so far
            for _, folder in workers:
                for name in sorted(set(os.listdir(folder)) - read):
                    if name.startswith("piece-") and not name.endswith(".part"):
                        read.add(name)
                        done.append(_read_piece(os.path.join(folder, name)))
        try:
            for n in range(1, jobs):
                folder = os.path.join(private, f"worker-{n}")
                os.mkdir(folder)
                worker = fork.Process(target=_answer_share, args=(share, folder), daemon=True)
                worker.start()
                workers.append((worker, folder))
            share(done.append, collect)
            for worker, folder in workers:
                worker.join()
                _check_worker(worker, folder)
            collect()
        finally:
            for worker, _ in workers:
                if worker.is_alive():
                    worker.terminate()
                    worker.join()
    done.sort(key=lambda piece: piece[0])
    return [a for _, answers, _ in done for a in answers], [x for _, _, more in done for x in more]


def _pieces(work: list[tuple[str, Target, str | None]], count: int) -> list[list]:
    """About `count` contiguous runs of the questions, each cut where the VPC changes when one
    does within half a run (so two processes seldom build the same VPC's decisions). The runs
    shrink toward the end, the last ones a third of the first: the process that takes the last
    piece keeps the others waiting for less."""
    # Sizes fall linearly from 3 to 1 (relative): where the i-th cut falls, as a share of the work.
    weights = [3 - 2 * i / max(count - 1, 1) for i in range(count)]
    total, ends, acc = sum(weights), [], 0.0
    for w in weights[:-1]:
        acc += w
        ends.append(round(len(work) * acc / total))
    pieces, start = [], 0
    for i, even in enumerate(ends):
        reach = max(1, (ends[i] - (ends[i - 1] if i else 0)) // 2)
        cut = even = max(start, even)
        while 0 < cut < len(work) and work[cut][2] == work[cut - 1][2] and cut - even < reach:
            cut += 1
        if 0 < cut < len(work) and work[cut][2] == work[cut - 1][2]:
            cut = even  # one VPC's long run (or the functions outside any): cut inside it
        if cut > start:
            pieces.append(work[start:cut])
            start = cut
    return [*pieces, work[start:]] if start < len(work) else pieces


def _answer_share(share: Callable[[Callable[[Any], None], Callable[[], None]], None], folder: str) -> None:
    """A forked worker: do its share, writing each piece's results to a file of its own as soon as
    they are made, named only when complete (or the error to raise in the parent: never a
    traceback of its own)."""
    def keep(piece: tuple) -> None:
        path = os.path.join(folder, f"piece-{piece[0]:06d}")
        with open(path + ".part", "wb") as f:
            pickle.dump(piece, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(path + ".part", path)
    try:
        share(keep, lambda: None)
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        with open(os.path.join(folder, "error.part"), "wb") as f:
            pickle.dump(error, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(os.path.join(folder, "error.part"), os.path.join(folder, "error"))
        return
    open(os.path.join(folder, "finished"), "wb").close()


def _read_piece(path: str) -> tuple:
    """A piece a worker answered (reach's own process, into this process's private directory)."""
    with open(path, "rb") as f:
        return pickle.load(f)


def _check_worker(worker: multiprocessing.process.BaseProcess, folder: str) -> None:
    """Raise what a worker stopped with: its error, or that it stopped without finishing."""
    error = os.path.join(folder, "error")
    if os.path.exists(error):
        raise _read_piece(error)
    if not os.path.exists(os.path.join(folder, "finished")):
        raise RuntimeError(f"an audit worker stopped without answering (exit status {worker.exitcode})")


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
