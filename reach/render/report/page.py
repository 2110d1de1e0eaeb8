"""The review report: one self-contained HTML page (inline CSS and SVG, nothing fetched) to share."""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from html import escape

from ...answer import Answer, Verdict
from ...model import Snapshot
from ...questions.audit import AuditReport, audit
from ...questions.enis import EniPlan, plan_enis
from ..diagrams.vpc import draw_vpc
from ..diagrams.svg import to_svg
from ...catalogue import eni_warning_text
from .answers import FunctionsSection, verdict_badge
from .changes import Baseline
from .style import CSS, DIFF_CSS, MARKS
from .terraform import annotate_html, terraform_section

MAX_VPC_PICTURES = 12
_TARGET_ORDER = {"internet": 0, "internet6": 1, "dynamodb": 2, "s3": 3}


@dataclass(frozen=True)
class Report:
    """The page, and what it holds."""

    html: str
    answers: int
    diagrams: int
    changes: int | None = None  # verdicts changed since the baseline, when there is one


def build_report(snapshot: Snapshot, *, title: str = "reach: reachability review",
                 functions: str | None = None, against: Snapshot | None = None,
                 against_name: str | None = None) -> Report:
    """Audit the snapshot and lay the answers, the ENI plan and the diagrams out on one page.

    With `against` (the baseline, OLD), the page also shows what changed since it, as `reach diff
    OLD snapshot` finds it; `against_name` names it in the heading (default: its file).
    """
    report = audit(snapshot, functions=functions)
    plan = plan_enis(snapshot)
    page = _Page(snapshot, report, plan)
    if against is not None:
        page.baseline = Baseline(against, snapshot, against_name or source_name(against),
                                 set(page.rows), functions)
    changes = [page.baseline.section(page.answers, page.anchor)] if page.baseline else []
    info = getattr(snapshot, "terraform", None)
    plan_part = [terraform_section(info)] if info is not None else []
    # Without functions the summary says so once: no empty matrix, function list or ENI plan.
    asked = [page.matrix(), page.functions()] if page.rows else []
    enis = [page.enis()] if page.has_enis else []
    body = [page.header(title), page.nav(), page.summary(), *plan_part, *changes, *asked, *enis,
            page.vpcs(), page.footer()]
    html = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}{DIFF_CSS if page.baseline else ''}</style>\n"
            "</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n</main>\n</body>\n</html>\n")
    if info is not None:
        html = annotate_html(html, info.addresses)
    return Report(html, len(report.results), page.diagrams,
                  len(page.baseline.changes) if page.baseline else None)


def source_name(snapshot: Snapshot) -> str:
    """The snapshot's file, its folder and file count, or standard input."""
    files = snapshot.sources
    return files[0] if len(files) == 1 else \
        f"{os.path.commonpath(files)} ({len(files)} files)" if files else "standard input"


def write_report(html: str, path: str) -> None:
    """Write the page atomically: a temporary file beside it, then a rename."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".reach-report-", suffix=".html", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(html)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes it private; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def slug(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "-", p).strip("-").lower() or "x" for p in parts)


def _key(a: Answer) -> tuple[str, str, str]:
    return (a.source.get("function") or "", a.source.get("arn") or "", a.target["spec"])


class _Page:
    """The sections of the page, each a piece of HTML."""

    def __init__(self, snapshot: Snapshot, report: AuditReport, plan: EniPlan) -> None:
        self.snapshot = snapshot
        self.report = report
        self.plan = plan
        self.diagrams = 0
        self.baseline: Baseline | None = None
        self.rows: dict[tuple[str, str], list[Answer]] = {}
        self.answers = {_key(a): a for a in report.results}
        for a in report.results:
            self.rows.setdefault((a.source.get("function") or "", a.source.get("arn") or ""), []).append(a)
        specs = {a.target["spec"] for a in report.results}
        self.targets = sorted(specs, key=lambda s: (_TARGET_ORDER.get(s, 4), s))

    def anchor(self, a: Answer) -> str:
        return "q-" + slug(a.source.get("function") or "", a.target["spec"])

    def header(self, title: str) -> str:
        where = sorted({(r.account_id, r.region) for r in self.snapshot.regions})
        places = ", ".join(f"{acct} · {region}" for acct, region in where) or "no regions"
        source = source_name(self.snapshot)
        return (f"<header><h1>{escape(title)}</h1><p class=\"muted\">Snapshot <code>{escape(source)}</code>"
                f" · {escape(places)} · {len(self.rows)} functions · made offline by reach from the "
                "snapshot alone: nothing on this page was fetched.</p></header>")

    def nav(self) -> str:
        links = (("summary", "Summary"), *((("changes", "What changed"),) if self.baseline else ()),
                 *((("matrix", "Audit matrix"), ("functions", "Functions")) if self.rows else ()),
                 *((("enis", "ENI plan"),) if self.has_enis else ()), ("vpcs", "VPC diagrams"))
        return "<nav>" + "".join(f'<a href="#{k}">{v}</a>' for k, v in links) + "</nav>"

    def summary(self) -> str:
        counts = self.report.counts()
        cards = [*(f'<div class="card v-{v}"><b>{n}</b><span>{MARKS[v]} {v}</span></div>'
                   for v, n in counts.items()),
                 f'<div class="card"><b>{len(self.report.results)}</b><span>questions</span></div>',
                 f'<div class="card"><b>{len(self.rows)}</b><span>functions</span></div>',
                 f'<div class="card"><b>{self.plan.eni_count}</b><span>ENI combinations</span></div>',
                 f'<div class="card"><b>{len(self.plan.warnings)}</b><span>ENI warnings</span></div>'
                 ] if self.rows else []
        lost = [a for a in self.report.results if a.verdict != Verdict.REACHABLE]
        lead = (f"{len(lost)} of {len(self.report.results)} questions do not get through everywhere."
                if lost else "Every question gets through." if self.report.results
                else "The snapshot holds no Lambda function: there is nothing to ask.")
        how = (" Each function is asked about the internet, DynamoDB, S3 and every RDS database it could "
               "route to, once per Hyperplane ENI (subnet)." if self.report.results else "")
        since = self.baseline.summary() if self.baseline else ""
        cards_html = f'<div class="cards">{"".join(cards)}</div>' if cards else ""
        return f'<section id="summary"><h2>Summary</h2><p>{lead}{how}</p>{cards_html}{since}</section>'

    @property
    def has_enis(self) -> bool:
        """Whether the ENI plan has anything to show: a combination or a warning."""
        return bool(self.rows or self.plan.enis or self.plan.warnings)

    def matrix(self) -> str:
        head = "".join(f'<th scope="col">{escape(t)}</th>' for t in self.targets)
        rows = []
        for (fn, arn), answers in self.rows.items():
            by = {a.target["spec"]: a for a in answers}
            cells = []
            for t in self.targets:
                a = by.get(t)
                changed, was = self.baseline.mark((fn, arn, t)) if self.baseline else ("", "")
                if a is None:
                    cells.append(f'<td class="na{changed}" title="not asked: the function cannot route to '
                                 f'it">—{was}</td>')
                    continue
                first = next((p.blocked_by for p in a.paths if p.blocked_by), None)
                code = f'<small>{escape(first.code)}</small>' if first else ""
                cells.append(f'<td class="v-{a.verdict.value}{changed}"><a href="#{self.anchor(a)}">'
                             f"{MARKS[a.verdict.value]} {a.verdict.value}</a>{code}{was}</td>")
            rows.append(f'<tr><th scope="row"><a href="#fn-{slug(fn)}">{escape(fn)}</a></th>'
                        f'{"".join(cells)}</tr>')
        legend = " ".join(verdict_badge(v) for v in Verdict) + ' <span class="muted">— not asked</span>'
        if self.baseline:
            legend += ' <span class="changed-key">changed since the baseline: “was: …”</span>'
        return (f'<section id="matrix"><h2>Audit matrix</h2><p class="legend">{legend}</p>'
                '<div class="scroll"><table id="audit-matrix" '
                f'class="matrix"><thead><tr><th scope="col">function</th>{head}</tr></thead><tbody>'
                f'{"".join(rows)}</tbody></table></div></section>')

    def functions(self) -> str:
        section = FunctionsSection(self.snapshot, self.rows, self.anchor, slug,
                                   lambda a: self.baseline.tag(_key(a)) if self.baseline else "",
                                   self.baseline.marks if self.baseline else None)
        html = section.html()
        self.diagrams += section.figures.drawn
        return html

    def enis(self) -> str:
        rows = "".join(
            f"<tr><td><code>{escape(e.vpc_id or '?')}</code></td><td><code>{escape(e.subnet_id)}</code></td>"
            f"<td>{escape(e.availability_zone or '?')}</td>"
            f"<td>{escape(', '.join(e.security_group_ids) or '(none)')}</td>"
            f"<td>{escape(', '.join(e.functions))}</td>"
            f"<td>{escape(', '.join(e.existing_eni_ids)) or '<em>none yet</em>'}</td></tr>"
            for e in self.plan.enis)
        warnings = "".join(f"<li>{escape(eni_warning_text(w.to_dict()))}</li>" for w in self.plan.warnings)
        return (f'<section id="enis"><h2>ENI plan</h2><p>{self.plan.eni_count} combinations of subnet and '
                "security groups: Lambda shares one Hyperplane ENI per combination (1.5, 1.8).</p>"
                '<div class="scroll"><table id="eni-plan" class="plain"><thead><tr><th>VPC</th>'
                '<th>subnet</th>'
                "<th>AZ</th><th>security groups</th><th>functions</th><th>existing ENIs</th></tr></thead>"
                f"<tbody>{rows}</tbody></table></div>"
                + (f'<h3>Warnings</h3><ul class="warnings">{warnings}</ul>' if warnings else "")
                + "</section>")

    def vpcs(self) -> str:
        used = sorted({a.source["vpc_id"] for a in self.report.results if a.source.get("vpc_id")}
                      & set(self.snapshot.index["Vpcs"])) or sorted(self.snapshot.index["Vpcs"])
        which = "Each VPC that holds a function" if self.report.results else "Each VPC"
        since = (" An orange outline and tag mark each object that changed (or is new) since the "
                 "baseline." if self.baseline else "")
        parts = [f'<section id="vpcs"><h2>VPC diagrams</h2><p>{which}: subnets boxed by '
                 "Availability Zone, their route tables and network ACLs, the routes, gateways, endpoints, "
                 "peering, the functions' Hyperplane ENIs and the databases. Dotted lines mean “is in”; "
                 f"plain grey lines join a subnet to its network ACL.{since}</p>"]
        for vpc in used[:MAX_VPC_PICTURES]:
            self.diagrams += 1
            picture = draw_vpc(self.snapshot, vpc)
            if self.baseline:
                picture.mark(self.baseline.marks(picture.aws_ids()))
            svg = to_svg(picture, prefix=f"v{self.diagrams}")
            gone = self.baseline.removed(vpc) if self.baseline else []
            removed = ("" if not gone else '<span class="removed"> · removed since the baseline: '
                       + ", ".join(f'<code data-id="{escape(r)}">{escape(r)}</code>' for r in gone) + "</span>")
            parts.append(f'<figure class="figure wide" id="vpc-{slug(vpc)}">{svg}'
                         f"<figcaption>{escape(vpc)}{removed}</figcaption></figure>")
        if len(used) > MAX_VPC_PICTURES:
            parts.append(f"<p>{len(used) - MAX_VPC_PICTURES} more VPCs: draw them with "
                         "<code>reach graph --vpc ID</code>.</p>")
        return "\n".join(parts) + "</section>"

    def footer(self) -> str:
        return ('<footer class="muted">Codes are AWS Reachability Analyzer explanation codes where one '
                "fits; rule numbers refer to reach's rule book. A wrong “reachable” is the worst answer; "
                "“unknown” names what the snapshot lacks.</footer>")
