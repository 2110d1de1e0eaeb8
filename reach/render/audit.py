"""Render `reach audit`: a matrix of functions against targets, then everything not reachable, then intent."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Callable

from rich.text import Text

from ..answer import Answer, Blocker, Path, Verdict, path_head
from ..questions.audit import AuditReport
from ..questions.intent import Rule, Violation
from .answer import STYLE
from .audit_views import (MARK, ORDER, detail_groups, matrix, rule_name, summary_line, violation_groups,
                          violation_lines)
from ..catalogue import eni_warning_text
from .console import err, out, print_json, terraform_block
from .fix_commands import path_with_commands
from .markdown import markdown
from .sarif import sarif_log

NOT_ASKED = "·"


def render_audit(report: AuditReport, fmt: str, *, rules: list[Rule] | None = None,
                 violations: list[Violation] | None = None, unmatched: list[Rule] | None = None,
                 snapshot_uri: str | None = None, hops: bool = False, fix_format=None) -> None:
    """Print the report in one of text, json, sarif or markdown; `hops` adds the traces to json,
    `fix_format` the fixes as commands or HCL to text and json (render/fix_commands.py)."""
    for r in unmatched or []:
        err.print(f"reach: warning: {rule_name(r)} matches no audited function", markup=False)
    if fmt == "json":
        return _stream_json(report, violations if rules is not None else None, hops=hops,
                            fix_format=fix_format)
    if fmt == "sarif":
        return print_json(json.dumps(sarif_log(report, violations or [], snapshot_uri=snapshot_uri),
                                     indent=2))
    if fmt == "markdown":
        return print_json(markdown(report, rules=rules, violations=violations or []))
    _text(report, rules, violations or [], len(unmatched or []), fix_format)


class _Written:
    """A path already written as its JSON (contract §2.3), and the ids it misses (`Answer.missing`)."""

    __slots__ = ("text", "missing")

    def __init__(self, text: str, missing: list[str]) -> None:
        self.text, self.missing = text, missing


def json_compactor(*, hops: bool, fix_format=None) -> Callable[[Answer], Answer]:
    """For `audit(compact=...)` when the report is only to be written as JSON: each answer's paths
    are kept as their JSON text, written once where the answer is made, instead of as objects (a
    third of what an audit's answers hold; docs/performance.md: Memory)."""
    texts: dict[str, str] = {}  # one copy of each text: many paths read the same

    def compact(a: Answer) -> Answer:
        written = _WrittenPaths(_Written(texts.setdefault(text := _path_json(p, a, hops, fix_format), text),
                                         p.missing) for p in a.paths)
        a.paths = written
        # Held once each: most answers share their target's words and have no notes to write.
        before, after = _rest_json(a, hops, fix_format)
        written.before, written.after = texts.setdefault(before, before), texts.setdefault(after, after)
        written.made_for = (a.target, a.verdict, a.permission, list(a.notes))
        return a
    return compact


class _WrittenPaths(list):
    """An answer's `_Written` paths, and the answer's JSON after its source around them
    (`before` and `after`), written where the answer was made. Functions that share the answer
    share these paths (`audit` groups them by VpcConfig) and use that JSON while their answer is
    still what it was made for: the same target, verdict and permission, and the same notes (a
    Pending or Inactive function's own notes differ, 1.9, 1.11)."""

    before: str
    after: str
    made_for: tuple


def _rest_json(a: Answer, hops: bool, fix_format) -> tuple[str, str]:
    """The answer's JSON from its target on (contract §2.3), before and after its paths' JSON:
    the fields after the paths are `Answer.tail`'s, the IPv6 part's paths with their commands."""
    tail = a.tail(hops=hops)
    if "ipv6" in tail and fix_format is not None:
        for d, p in zip(tail["ipv6"]["paths"], a.ipv6.paths):
            path_with_commands(d, p, fix_format, region=a.source.get("region"))
    return (', "target": ' + json.dumps(a.target) + ', "verdict": "' + a.verdict.value + '", "paths": [',
            "]" + (", " + json.dumps(tail)[1:] if tail else "}"))


def _path_json(p, a: Answer, hops: bool, fix_format) -> str:
    if hops or fix_format is not None:
        return json.dumps(path_with_commands(p.to_dict(hops=hops), p, fix_format, region=a.source.get("region")))
    return lean_path_json(p)


def lean_path_json(p: Path) -> str:
    """`json.dumps(p.to_dict(hops=False))` (contract §2.3), put together from parts each made once:
    the path's head (its subnet, groups and verdict) and each blocker, which many answers of an
    audit share, the last few thousand kept as the blockers' words are (reach.answer)
    (tests/test_audit_lean.py checks it against json.dumps)."""
    blockers = p.blockers
    parts = [_head_json(p.subnet_id, p.availability_zone, tuple(p.security_group_ids), p.verdict),
             _blocker_json(blockers[0]) if blockers else "null"]
    if len(blockers) > 1:
        parts += [', "also_blocked_by": [', ", ".join([_blocker_json(b) for b in blockers[1:]]), "]"]
    tail = p.tail()
    parts.append(", " + json.dumps(tail)[1:] if tail else "}")
    return "".join(parts)


@lru_cache(maxsize=4096)
def _head_json(subnet_id: str | None, az: str | None, groups: tuple[str, ...], verdict: Verdict) -> str:
    """A lean path's JSON up to its `blocked_by` value (as `Path.to_dict` orders it)."""
    return json.dumps(path_head(subnet_id, az, list(groups), verdict))[:-1] + ', "blocked_by": '


@lru_cache(maxsize=4096)
def _blocker_json(b: Blocker) -> str:
    return json.dumps(b.to_dict())


def _encoded(seen: dict[tuple, str], part: dict) -> str:
    """`json.dumps(part)`, remembered by its items (with their types: 1 and True are equal keys)."""
    try:
        key = tuple((k, v.__class__, v) for k, v in part.items())
        hit = seen.get(key)
    except TypeError:  # a value that is a list or a dict (a what-if placement)
        return json.dumps(part)
    if hit is None:
        hit = seen[key] = json.dumps(part)
    return hit


def _still(made_for: tuple, a: Answer) -> bool:
    """Whether a function's answer is still the one its written JSON was made for."""
    target, verdict, permission, notes = made_for
    return a.target is target and a.verdict is verdict and a.permission is permission and a.notes == notes


def _stream_json(report: AuditReport, violations: list[Violation] | None, *, hops: bool,
                 fix_format=None) -> None:
    """Write `{"results": [...]}` (contract §2.3) one answer at a time, paths without their hops
    unless asked: a large estate's answers are never held as one string. Shared paths are encoded
    once (or were, by `json_compactor`)."""
    file = out.file
    encoded: dict[int, str] = {}
    # A function's source is the same in every answer it has: encoded once. Its answers come one
    # after another, so the last one's is tried first (a source holds strings, lists and dicts,
    # which compare equal only to their own kind).
    parts: dict[tuple, str] = {}
    last: tuple[dict | None, str] = (None, "")
    file.write('{"results": [')
    batch: list[str] = []
    for i, a in enumerate(report.results):
        if a.source != last[0]:
            last = (a.source, _encoded(parts, a.source))
        # The pieces are joined once, about two hundred answers at a time: an answer's text is
        # not copied piece by piece (the audit of L writes 140 MB), and no more is held at once
        # (16,384 pieces at a time raised M's peak memory by 9 MiB).
        batch.append(',{"source": ' if i else '{"source": ')
        batch.append(last[1])
        written = a.paths if isinstance(a.paths, _WrittenPaths) else None
        if written is not None and _still(written.made_for, a):
            batch.append(written.before)
            batch.append(", ".join([p.text for p in written]))
            batch.append(written.after)
        else:
            paths = []
            for p in a.paths:
                text = p.text if isinstance(p, _Written) else encoded.get(id(p))
                if text is None:
                    text = encoded[id(p)] = _path_json(p, a, hops, fix_format)
                paths.append(text)
            before, after = _rest_json(a, hops, fix_format)
            batch.extend((before, ", ".join(paths), after))
        if len(batch) >= 1024:
            file.write("".join(batch))
            batch.clear()
    file.write("".join(batch) + "]")
    if report.accounts:
        file.write(', "accounts": ' + json.dumps(report.account_summary()))
    if report.warnings:
        file.write(', "warnings": ' + json.dumps([w.to_dict() for w in report.warnings]))
    if violations is not None:
        file.write(', "violations": ' + json.dumps([v.to_dict() for v in violations]))
    block = terraform_block()
    if block is not None:
        file.write(', "terraform": ' + json.dumps(block))
    file.write("}\n")
    file.flush()




# --- text ---

def _text(report: AuditReport, rules: list[Rule] | None, violations: list[Violation],
          unmatched: int, fix_format=None) -> None:
    parts = report.by_account()
    if len(parts) > 1:
        out.print(summary_line(report) + f" in {len(parts)} accounts", markup=False)
        out.print()
    for i, (account, part) in enumerate(parts):
        if account:
            out.print(("\n" if i else "") + f"account {account}", style="bold", markup=False)
        _one(part, fix_format)
    for w in report.warnings:
        out.print(eni_warning_text(w.to_dict()), markup=False)
    if rules is not None:
        _intent(rules, violations, unmatched)


def _one(report: AuditReport, fix_format=None) -> None:
    out.print(summary_line(report), markup=False)
    out.print()
    m = matrix(report)
    if not m.rows:
        out.print("no function to audit", markup=False)
        return
    name_w = max([len("function"), *(len(n) for n, _ in m.rows)])
    widths = [max([len(c), *(len(_cell(cells[i])) for _, cells in m.rows)])
              for i, c in enumerate(m.columns)]
    out.print("  ".join(["function".ljust(name_w), *(c.ljust(w) for c, w in zip(m.columns, widths))])
              .rstrip(), markup=False)
    rows = []
    for name, cells in m.rows:
        line = Text(name.ljust(name_w))
        for cell, w in zip(cells, widths):
            line.append("  ")
            style = STYLE.get(Verdict(cell)) if cell in _VALUES else None
            line.append(_cell(cell).ljust(w), style or "")
        line.rstrip()
        rows.append(line)
    out.print(Text("\n").join(rows))  # one print: rich's cost is per call
    out.print("  ".join(f"{MARK[v]} {v.value}" for v in ORDER) + f"  {NOT_ASKED} not audited",
              markup=False)
    _details(report, fix_format)


_VALUES = {v.value for v in Verdict}


def _cell(cell: str | None) -> str:
    if cell is None:
        return NOT_ASKED
    return MARK[Verdict(cell)] if cell in _VALUES else cell


def _details(report: AuditReport, fix_format=None) -> None:
    groups = detail_groups(report, fix_format)
    if not groups:
        return
    n = sum(len(names) for *_, names, _ in groups)
    out.print()
    out.print(Text(f"not reachable ({n})", "bold"))
    for verdict, spec, flow, names, lines in groups:
        head = Text()
        head.append(verdict.value.upper(), STYLE[verdict])
        head.append(f"  {_names(names)} → {spec} ({flow})")
        out.print(head)
        if lines:  # one print for the group: rich's cost is per call (a third of a text audit)
            out.print(Text("\n").join(out.render_str(f"  {line}", markup=False) for line in lines))


def _names(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _intent(rules: list[Rule], violations: list[Violation], unmatched: int) -> None:
    broken = violation_groups(violations)
    out.print()
    kept = len(rules) - len(broken) - unmatched
    out.print(Text(f"intent: {len(rules)} rules: {kept} kept, {len(broken)} broken"
                   + (f", {unmatched} matching no function" if unmatched else ""), "bold"))
    for rule, vs in broken:
        head = Text()
        head.append("BROKEN", "bold red")
        head.append(f"  {rule_name(rule)}: {rule.function} → {rule.target}: expect {rule.expect}")
        out.print(head)
        if rule.why:
            out.print(f"  why: {rule.why}", markup=False)
        for v in vs:
            for line in violation_lines(v):
                out.print(f"  {line}", markup=False)
