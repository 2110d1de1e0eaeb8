"""The report's "Functions" section: answers folded by function and grouped by worst verdict, each
picture of a blocked route drawn once and referenced by every answer that repeats it."""
from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

from ...answer import Answer, Decision, Verdict
from ...catalogue import note_text
from ...model import Snapshot
from ..diagrams.draw import draw_answer
from ..diagrams.svg import to_svg
from .style import MARKS

# Functions are grouped by the worst verdict among their questions, most serious first.
GROUPS = (Verdict.UNREACHABLE, Verdict.UNKNOWN, Verdict.PARTIAL, Verdict.REACHABLE)
GROUP_TITLES = {Verdict.UNREACHABLE: "something unreachable", Verdict.UNKNOWN: "something unknown",
                Verdict.PARTIAL: "something partly reachable", Verdict.REACHABLE: "every question reachable"}
OPEN_UP_TO = 12  # a page with this many functions or fewer shows every function unfolded

Row = tuple[str, str]  # (function, ARN)
Marks = Callable[[list[str]], dict[str, str]]  # AWS ids -> "changed" | "added" since a baseline


def verdict_badge(v: Verdict, text: str | None = None) -> str:
    return f'<span class="badge v-{v.value}">{MARKS[v.value]} {escape(text or v.value)}</span>'


def worst(answers: list[Answer]) -> Verdict:
    """The group a function falls in: the first of GROUPS that one of its answers has."""
    return next(v for v in GROUPS if v == Verdict.REACHABLE or any(a.verdict == v for a in answers))


def figure_key(a: Answer) -> str:
    """What a picture of the answer shows, but for the function's name: answers with the same key
    (same target, subnets, groups, hops and blocks) draw the same picture."""
    return json.dumps({"target": a.target, "verdict": a.verdict.value,
                       "paths": [p.to_dict() for p in a.paths]}, sort_keys=True, default=str)


class Figures:
    """The pictures of the answers that do not get through: one per distinct route, in page order."""

    def __init__(self, snapshot: Snapshot, answers: list[Answer], anchor: Callable[[Answer], str],
                 marks: Marks | None = None) -> None:
        self.snapshot = snapshot
        self.anchor = anchor
        self.marks = marks
        self.sharing: dict[str, list[Answer]] = {}
        for a in answers:
            if a.verdict != Verdict.REACHABLE:
                self.sharing.setdefault(figure_key(a), []).append(a)
        self.ids = {key: f"fig-{i + 1}" for i, key in enumerate(self.sharing)}
        self.drawn = 0

    def html(self, a: Answer) -> str:
        """The answer's picture where it is first needed; a link to it from every later answer."""
        if a.verdict == Verdict.REACHABLE:
            return ""
        key = figure_key(a)
        first, *others = self.sharing[key]
        fid = self.ids[key]
        if a is not first:
            who = f"{first.source.get('function') or 'what-if'} → {first.target['spec']}"
            return (f'<p class="same-figure" data-figure="{fid}">Diagram: the same route as '
                    f'<a href="#{fid}">{escape(who)}</a>, drawn once.</p>')
        self.drawn += 1
        picture = draw_answer(self.snapshot, a)
        if self.marks is not None:
            picture.mark(self.marks(picture.aws_ids()))
        svg = to_svg(picture, prefix=f"d{self.drawn}")
        fn = escape(a.source.get("function") or "")
        also = ""
        if others:
            links = ", ".join(f'<a href="#{self.anchor(o)}">{escape(o.source.get("function") or "")}</a>'
                              for o in others)
            also = (f' <span class="also">The same route for {len(others)} more function'
                    f'{"s" if len(others) > 1 else ""}: {links}.</span>')
        return (f'<figure class="figure" id="{fid}" data-shared-by="{1 + len(others)}">{svg}<figcaption>'
                f"The paths of {fn} → {escape(a.target['spec'])}, one per Hyperplane ENI; blocked hops "
                f"are red and dashed, dotted arrows are the reply.{also}</figcaption></figure>")


class FunctionsSection:
    """Each function folded in a <details>, inside a <details> per worst verdict: a filter without script."""

    def __init__(self, snapshot: Snapshot, rows: dict[Row, list[Answer]], anchor: Callable[[Answer], str],
                 slug: Callable[..., str], tag: Callable[[Answer], str], marks: Marks | None = None) -> None:
        self.rows, self.anchor, self.slug, self.tag = rows, anchor, slug, tag
        self.figures = Figures(snapshot, [a for answers in rows.values() for a in answers], anchor, marks)

    def html(self) -> str:
        unfold = len(self.rows) <= OPEN_UP_TO
        by_group: dict[Verdict, list[Row]] = {}
        for row, answers in self.rows.items():
            by_group.setdefault(worst(answers), []).append(row)
        parts = ['<section id="functions"><h2>Functions</h2>'
                 f"<p>{len(self.rows)} functions, grouped by their worst verdict; open a group, then a "
                 "function, for its answers, fixes and diagrams. A diagram is drawn once per route and "
                 "linked from every answer that repeats it.</p>"]
        for v in (g for g in GROUPS if g in by_group):
            members = by_group[v]
            parts.append(f'<details class="group" id="group-{v.value}" open><summary>'
                         f"{verdict_badge(v, GROUP_TITLES[v])} <b>{len(members)}</b> function"
                         f'{"s" if len(members) != 1 else ""}</summary>')
            parts.extend(self.function(row, self.rows[row], unfold) for row in members)
            parts.append("</details>")
        parts.append("</section>")
        return "\n".join(parts)

    def function(self, row: Row, answers: list[Answer], unfold: bool) -> str:
        fn, arn = row
        first = answers[0].source
        where = f"in {first.get('vpc_id')}" if first.get("vpc_id") else "outside any VPC"
        counts = {v: sum(a.verdict == v for a in answers) for v in Verdict}
        tally = " ".join(f'<span class="tally v-{v.value}">{MARKS[v.value]} {n}</span>'
                         for v, n in counts.items() if n)
        out = [f'<details class="function" id="fn-{self.slug(fn)}"{" open" if unfold else ""}>'
               f"<summary><b>{escape(fn)}</b> {tally} "
               f'<span class="muted">{escape(where)}</span></summary>'
               f'<p class="muted"><code>{escape(arn or fn)}</code> · {escape(where)} · '
               f'{escape(first.get("region") or "")}</p>']
        out.extend(self.answer(a) for a in answers)
        out.append("</details>")
        return "".join(out)

    def answer(self, a: Answer) -> str:
        t = a.target
        out = [f'<article class="answer" id="{self.anchor(a)}"><h4>'
               f"{verdict_badge(a.verdict, a.verdict.value.upper())} "
               f'{escape(a.source.get("function") or "")} → {escape(t["spec"])} '
               f'<span class="muted">({escape(t["protocol"])}/{t["port"]})</span>{self.tag(a)}</h4>'
               '<ul class="paths">']
        for p in a.paths:
            where = f"{p.subnet_id} ({p.availability_zone or '?'})" if p.subnet_id else \
                "Lambda service network"
            line = f"<li><code>{escape(where)}</code>: {verdict_badge(p.verdict)}"
            for i, b in enumerate(p.blockers):
                line += (f'<div class="blocker">{"also " if i else ""}<code>{escape(b.code)}</code> at '
                         f"<code>{escape(b.component_id)}</code>: {escape(b.reason)}</div>")
            if p.reached:
                line += f'<div class="muted">only {escape(p.reached)} gets through</div>'
            if p.missing:
                line += f'<div class="muted">missing from the snapshot: {escape(", ".join(p.missing))}</div>'
            out.append(line + "</li>")
        out.append("</ul>")
        fixes = list(dict.fromkeys(b.fix_text for p in a.paths for b in p.blockers if b.fix_text))
        if fixes:
            out.append('<p class="fix-head">Fix</p><ul class="fixes">'
                       + "".join(f"<li>{escape(f)}</li>" for f in fixes) + "</ul>")
        for n in a.notes:
            out.append(f'<p class="note">note: {escape(note_text(n))}</p>')
        out.append(hops(a))
        out.append(self.figures.html(a))
        out.append("</article>")
        return "".join(out)


def hops(a: Answer) -> str:
    """Every hop of every path, folded."""
    out = ['<details class="hops"><summary>hop by hop</summary>']
    for p in a.paths:
        out.append(f"<p><code>{escape(p.subnet_id or 'Lambda service network')}</code></p><ol>")
        for h in p.hops:
            mark = {Decision.ALLOW: ("✓", "ok"), Decision.DENY: ("✗", "no"),
                    Decision.UNKNOWN: ("?", "unk")}[h.decision]
            out.append(f'<li class="{mark[1]}"><b>{mark[0]}</b> {escape(h.kind)} '
                       f"<code>{escape(h.component_id)}</code>: {escape(h.detail)}</li>")
        out.append("</ol>")
    return "".join(out) + "</details>"
