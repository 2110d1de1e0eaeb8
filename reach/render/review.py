"""Render the design-review outputs: `reach diff` as text or JSON, diagram text, the report's receipt."""
from __future__ import annotations

from collections import Counter

from rich.text import Text

from ..answer import Verdict
from ..catalogue import object_change_text
from ..questions.diff import SnapshotDiff, VerdictChange
from ..questions.enis import EniCombination
from .answer import STYLE
from .console import err, out

# How each change is labelled, most serious first.
LABELS = (("LOST", "bold red"), ("GAINED", "bold green"), ("CHANGED", "bold yellow"),
          ("NEW", "bold cyan"), ("GONE", "bold magenta"))


def change_label(c: VerdictChange) -> tuple[str, str]:
    """LOST (reachable → not), GAINED (not → reachable), CHANGED, NEW or GONE (asked on one side)."""
    if c.old is None:
        return LABELS[3]
    if c.new is None:
        return LABELS[4]
    return LABELS[0] if c.lost else LABELS[1] if c.gained else LABELS[2]


def verdict_text(v: Verdict | None) -> str:
    return v.value if v else "not asked"


def render_diff(diff: SnapshotDiff) -> None:
    """Print what changed: a headline, the objects that made the difference, each change, the ENIs."""
    labels = Counter(change_label(c)[0] for c in diff.changes)
    n = len(diff.changes)
    head = Text(f"{n} verdict{'s' if n != 1 else ''} changed of {diff.questions} questions")
    if n:
        head.append(": ")
        for i, (label, style) in enumerate(x for x in LABELS if labels[x[0]]):
            head.append(", " if i else "")
            head.append(f"{labels[label]} {label.lower()}", style)
    out.print(head)
    causes = Counter((c.cause.kind, c.cause.component_id, c.cause.name) for c in diff.changes if c.cause)
    if causes:
        out.print()
        out.print(Text("what made the difference", style="bold"))
        for (kind, rid, name), count in sorted(causes.items(), key=lambda kv: (-kv[1], kv[0])):
            named = f" ({name})" if name else ""
            out.print(Text(f"  {kind} {rid}{named}: {count} verdict{'s' if count != 1 else ''}"))
    for c in diff.changes:
        out.print()
        _change(c)
    out.print()
    _enis(diff.enis_added, diff.enis_removed, diff.eni_addresses)


def _change(c: VerdictChange) -> None:
    label, style = change_label(c)
    line = Text()
    line.append(f"{label:<8}", style)
    line.append(f"{c.function} → {c.target}: ")
    line.append(verdict_text(c.old), STYLE.get(c.old, "") if c.old else "dim")
    line.append(" → ")
    line.append(verdict_text(c.new), STYLE.get(c.new, "") if c.new else "dim")
    out.print(line)
    if c.cause:
        named = f" ({c.cause.name})" if c.cause.name else ""
        code = f"{c.cause.code}: " if c.cause.code else ""
        why = c.cause.reason or ("the function or the database exists on one side only"
                                 if c.old is None or c.new is None else "")
        out.print(Text(f"        cause: {c.cause.kind} {c.cause.component_id}{named}"))
        if c.cause.changes:
            out.print(Text("        changed: " + "; ".join(object_change_text(x.to_dict()) for x in c.cause.changes)))
        if c.cause.address:
            out.print(Text(f"        terraform: {c.cause.address}"))
        if code or why:
            # The block shown is the one of the side that does not get through.
            when = "" if c.old is None or c.new is None else "before: " if c.new == Verdict.REACHABLE else "now: "
            out.print(Text(f"        {when}{code}{why}".rstrip(": ")))
    others = [f"{kind} {rid}" for rid, kind in c.kinds if not c.cause or rid != c.cause.component_id]
    if others:
        out.print(Text("        other changed objects on these paths: " + ", ".join(others), style="dim"))


def _enis(added: list[EniCombination], removed: list[EniCombination],
          addresses: dict[tuple, tuple[str, ...]]) -> None:
    if not added and not removed:
        out.print("ENI combinations: unchanged")
        return
    out.print(Text(f"ENI combinations: {len(added)} added, {len(removed)} removed", style="bold"))
    for sign, style, rows in (("+", "green", added), ("-", "red", removed)):
        for e in rows:
            groups = ", ".join(e.security_group_ids) or "no groups"
            by = addresses.get(e.key)
            out.print(Text.assemble((f"  {sign} ", style),
                                    f"{e.subnet_id} ({e.availability_zone or '?'}; {groups}): "
                                    f"{', '.join(e.functions)}",
                                    (f"  terraform: {', '.join(by)}" if by else "", "dim")))


def render_text(text: str) -> None:
    """Print diagram or page text verbatim, untouched by rich markup."""
    out.file.write(text if text.endswith("\n") else text + "\n")
    out.file.flush()


def report_written(path: str, *, answers: int, diagrams: int, changes: int | None = None) -> None:
    """Say on standard error where the report went."""
    since = "" if changes is None else f", {changes} changed verdict{'s' if changes != 1 else ''}"
    err.print(f"reach: wrote {path}: {answers} answers, {diagrams} diagrams{since}", markup=False)
