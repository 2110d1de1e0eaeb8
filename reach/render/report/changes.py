"""The report against a baseline snapshot: the "What changed" section, summary counts and matrix marks."""
from __future__ import annotations

from collections import Counter
from fnmatch import fnmatchcase
from html import escape

from ...answer import Answer, Verdict
from ...estate.objects import dump, name_of
from ...model import Snapshot
from ...questions.diff import VerdictChange, diff_snapshots
from ...questions.enis import EniCombination
from ..diagrams.vpc import draw_vpc
from ..review import change_label
from .style import MARKS

Key = tuple[str, str, str]
"""(function, ARN, target spec): one question, as the diff and the matrix both key it."""


def was(v: Verdict | None) -> str:
    """The old verdict as text, with its mark: "✓ reachable", or "not asked"."""
    return f"{MARKS[v.value]} {v.value}" if v else "not asked"


def _badge(v: Verdict | None) -> str:
    if v is None:
        return '<span class="badge na">— not asked</span>'
    return f'<span class="badge v-{v.value}">{MARKS[v.value]} {escape(v.value)}</span>'


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


class Baseline:
    """`diff_snapshots(old, new)`, kept to the functions on the page and keyed like the matrix."""

    def __init__(self, old: Snapshot, new: Snapshot, name: str, shown: set[tuple[str, str]],
                 functions: str | None = None) -> None:
        self.old, self.new, self.name = old, new, name
        self.diff = diff_snapshots(old, new)
        # A removed function has no row on the page: keep its changes when --function names it.
        self.changes = [c for c in self.diff.changes
                        if (c.function, c.arn) in shown or (c.new is None and _named(c, functions))]
        self.by_key: dict[Key, VerdictChange] = {(c.function, c.arn, c.target): c for c in self.changes}

    def counts(self) -> tuple[int, int, int]:
        """(lost, gained, other) among the changes on the page."""
        lost = sum(c.lost for c in self.changes)
        gained = sum(c.gained for c in self.changes)
        return lost, gained, len(self.changes) - lost - gained

    def summary(self) -> str:
        """A sentence and three cards for the summary: lost, gained, other."""
        lost, gained, other = self.counts()
        n = len(self.changes)
        lead = (f"Since the baseline <code>{escape(self.name)}</code>, {_plural(n, 'verdict')} changed: "
                f"{lost} lost, {gained} gained, {other} other (<a href=\"#changes\">what changed</a>)."
                if n else f"No verdict changed since the baseline <code>{escape(self.name)}</code>.")
        cards = [("v-unreachable", lost, "✗ lost (was reachable)"),
                 ("v-reachable", gained, "✓ gained (now reachable)"),
                 ("v-partial", other, "± other changes")]
        return (f'<p class="since">{lead}</p><div class="cards since-cards">'
                + "".join(f'<div class="card {cls}"><b>{k}</b><span>{text}</span></div>'
                          for cls, k, text in cards) + "</div>")

    def marks(self, ids: list[str]) -> dict[str, str]:
        """Which of these AWS objects changed since the baseline ("changed"), or are new ("added"),
        compared as `reach diff` compares the objects on a path."""
        out = {}
        for rid in ids:
            before, now = dump(self.old, rid), dump(self.new, rid)
            if now and before != now:
                out[rid] = "changed" if before else "added"
        return out

    def removed(self, vpc_id: str) -> list[str]:
        """The objects the baseline's picture of this VPC draws that the snapshot no longer holds."""
        if vpc_id not in self.old.index["Vpcs"]:
            return []
        drawn = {n.id for n in draw_vpc(self.old, vpc_id).nodes.values()}
        return sorted(rid for rid in drawn if dump(self.old, rid) and not dump(self.new, rid))

    def mark(self, key: Key) -> tuple[str, str]:
        """The matrix cell's extra class and its "was" text, when the verdict changed."""
        c = self.by_key.get(key)
        if c is None:
            return "", ""
        return " changed", f'<small class="was">was: {escape(was(c.old))}</small>'

    def tag(self, key: Key) -> str:
        """The answer heading's note, when the verdict changed."""
        c = self.by_key.get(key)
        return f' <span class="was-tag">changed · was: {escape(was(c.old))}</span>' if c else ""

    def section(self, answers: dict[Key, Answer], anchor) -> str:
        """The section: every changed verdict with its cause, the objects behind them, the ENIs."""
        n, total = len(self.changes), len(self.diff.changes)
        labels = Counter(change_label(c)[0] for c in self.changes)
        kinds = ", ".join(f"{labels[k]} {k.lower()}" for k in ("LOST", "GAINED", "CHANGED", "NEW", "GONE")
                          if labels[k])
        hidden = f" ({total - n} more for functions not on this page)" if total > n else ""
        lead = (f"{_plural(n, 'verdict')} changed of {self.diff.questions} questions: {kinds}{hidden}. "
                "Each names its cause: the AWS object whose change made the difference, with the block "
                "of the side that does not get through (<em>now</em> when something was lost, "
                "<em>before</em> when something was gained)." if n else
                f"No verdict changed of {self.diff.questions} questions{hidden}.")
        parts = [f'<section id="changes"><h2>What changed since <code>{escape(self.name)}</code></h2>'
                 f"<p>{lead}</p>"]
        if n:
            parts.append(self._objects())
            rows = "".join(self._row(c, answers.get((c.function, c.arn, c.target)), anchor)
                           for c in self.changes)
            parts.append('<h3>Changed verdicts</h3><div class="scroll">'
                         '<table id="changed-verdicts" class="plain changelist"><thead><tr>'
                         '<th scope="col">change</th><th scope="col">function → target</th>'
                         '<th scope="col">before → now</th><th scope="col">cause</th></tr></thead>'
                         f"<tbody>{rows}</tbody></table></div>")
        parts.append(_enis(self.diff.enis_added, self.diff.enis_removed))
        return "\n".join(parts) + "</section>"

    def _row(self, c: VerdictChange, answer: Answer | None, anchor) -> str:
        label = change_label(c)[0]
        what = f"{escape(c.function)} → {escape(c.target)}"
        if answer is not None:
            what = f'<a href="#{anchor(answer)}">{what}</a>'
        return (f'<tr class="chg-{label.lower()}"><td><span class="chg">{label}</span></td>'
                f'<td class="question">{what}</td>'
                f'<td class="verdicts">{_badge(c.old)} → {_badge(c.new)}</td>'
                f'<td class="cause">{_cause(c, answer)}</td></tr>')

    def _objects(self) -> str:
        decided = Counter(c.cause.component_id for c in self.changes if c.cause)
        also = Counter(rid for c in self.changes for rid in c.changed_components
                       if not c.cause or rid != c.cause.component_id)
        kinds = {rid: kind for c in self.changes for rid, kind in c.kinds}
        kinds.update({c.cause.component_id: c.cause.kind for c in self.changes if c.cause})
        rows = []
        for rid in sorted(decided.keys() | also.keys(), key=lambda r: (-decided[r], -also[r], r)):
            name = name_of(rid, self.new, self.old)
            rows.append(f'<tr><th scope="row"><code>{escape(rid)}</code></th><td>{escape(kinds[rid])}</td>'
                        f"<td>{escape(name) if name else '—'}</td>"
                        f"<td>{_plural(decided[rid], 'verdict') if decided[rid] else '—'}</td>"
                        f"<td>{_plural(also[rid], 'verdict') if also[rid] else '—'}</td></tr>")
        return ("<h3>The AWS objects behind the changes</h3>"
                '<div class="scroll"><table id="changed-objects" class="plain"><thead><tr>'
                '<th scope="col">object</th><th scope="col">kind</th><th scope="col">Name tag</th>'
                '<th scope="col">cause of</th><th scope="col">also changed on the paths of</th></tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table></div>")


def _named(c: VerdictChange, pattern: str | None) -> bool:
    """Whether --function's glob names a function, as `reach audit` matches it (name, name:version, ARN)."""
    return pattern is None or any(fnmatchcase(n, pattern) for n in
                                  (c.function, c.function.split(":")[0], c.arn) if n)


def _cause(c: VerdictChange, answer: Answer | None) -> str:
    """The cause's id, Name tag and kind; the block it meets, as `reach diff` words it; the fix."""
    if c.cause is None:
        return '<span class="muted">no changed object found on the paths</span>'
    x = c.cause
    named = f" ({escape(x.name)})" if x.name else ""
    out = f"{escape(x.kind)} <code>{escape(x.component_id)}</code>{named}"
    when = ""
    why = x.reason or ("the function or the database exists on one side only"
                       if c.old is None or c.new is None else "")
    if x.code or why:
        when = "" if not x.code else "before: " if c.new == Verdict.REACHABLE else "now: "
        code = f"<code>{escape(x.code)}</code>: " if x.code else ""
        out += f'<div class="block">{when}{code}{escape(why)}</div>'
    fix = _fix(c, answer) if when == "now: " else None
    if fix:
        out += f'<div class="fix"><b>Fix:</b> {escape(fix)}</div>'
    others = [f"{kind} {rid}" for rid, kind in c.kinds if rid != x.component_id]
    if others:
        out += f'<div class="muted">also changed on these paths: {escape(", ".join(others))}</div>'
    return out


def _fix(c: VerdictChange, answer: Answer | None) -> str | None:
    """The fix of the new blocker the cause names: the one of the same code and reason on the new paths."""
    if answer is None or c.cause is None or c.cause.code is None:
        return None
    blockers = [b for p in answer.paths for b in p.blockers if b.fix_text and b.code == c.cause.code]
    same = [b for b in blockers if b.reason == c.cause.reason] or blockers
    return same[0].fix_text if same else None


def _enis(added: list[EniCombination], removed: list[EniCombination]) -> str:
    head = "<h3>ENI combinations</h3>"
    if not added and not removed:
        return head + "<p>Unchanged: the same (subnet, security-group set) pairs on both sides.</p>"
    rows = "".join(
        f'<tr class="eni-{word}"><td><b>{sign} {word}</b></td><td><code>{escape(e.vpc_id or "?")}</code></td>'
        f"<td><code>{escape(e.subnet_id)}</code></td><td>{escape(e.availability_zone or '?')}</td>"
        f"<td>{escape(', '.join(e.security_group_ids) or '(none)')}</td>"
        f"<td>{escape(', '.join(e.functions))}</td></tr>"
        for sign, word, side in (("+", "added", added), ("−", "removed", removed)) for e in side)
    return (head + f"<p>{len(added)} added, {len(removed)} removed.</p>"
            '<div class="scroll"><table id="changed-enis" class="plain"><thead><tr><th scope="col"></th>'
            '<th scope="col">VPC</th><th scope="col">subnet</th><th scope="col">AZ</th>'
            '<th scope="col">security groups</th><th scope="col">functions</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")
