"""Draw the paths of one answer as a diagram: the function, each subnet's hops, the target."""
from __future__ import annotations

from collections import Counter

from ...answer import Answer, Decision, Direction, Hop, Path, Verdict
from ...estate.objects import name_of
from ...model import Snapshot
from .diagram import Diagram

_HOP_STATUS = {Decision.ALLOW: ("plain", "flow"), Decision.DENY: ("blocked", "blocked"),
               Decision.UNKNOWN: ("unknown", "unknown")}
_TARGET_STATUS = {Verdict.REACHABLE: "reached", Verdict.PARTIAL: "partial",
                  Verdict.UNREACHABLE: "missed", Verdict.UNKNOWN: "unknown"}


def is_reply(hop: Hop) -> bool:
    """Whether a hop judges the reply rather than the request (0.3, 1.25, 5.8)."""
    return hop.direction == Direction.REPLY


def draw_answer(snapshot: Snapshot, answer: Answer) -> Diagram:
    """The paths of one answer: function, each Hyperplane ENI's hops, the target; blocks marked.
    Subnets whose paths are the same share their boxes; when they differ, each path is drawn in a
    lane of its own. The answer's IPv6 part (a dual-stack function's `internet`, `dynamodb`, `s3`)
    is drawn beside it, in a cluster of its own, to a target of its own (1.23)."""
    source = answer.source.get("function") or "what-if"
    target = answer.target
    what_if = answer.source.get("what_if")
    six = answer.ipv6
    d = Diagram(f"{source}{' (what-if placement)' if what_if and answer.source.get('function') else ''} → "
                f"{target['spec']} ({target['protocol']}/{target['port']}): {answer.verdict.value}"
                + (f"; over IPv6: {six.verdict.value}" if six is not None else ""),
                direction="TB")
    d.node(source, "function", [f"function {source}", "what-if placement" if what_if else ""], "function")
    _draw_paths(d, snapshot, answer.paths, source, target["spec"])
    lines = [f"target {target['spec']}", f"{target['protocol']}/{target['port']}"]
    d.node(target["spec"], "target", lines, _TARGET_STATUS[answer.verdict])
    if six is not None:
        endpoint = six.target.get("endpoint")
        spec = six.target["spec"] if six.target["spec"] != target["spec"] else f"{six.target['spec']} over IPv6"
        top = d.cluster("ipv6", f"over IPv6: {spec}{f' ({endpoint})' if endpoint else ''}: {six.verdict.value}")
        _draw_paths(d, snapshot, six.paths, source, spec, suffix="@ipv6", parent=top)
        d.node(spec, "target", [f"target {spec}", endpoint or "", f"{six.target['protocol']}/{six.target['port']}"],
               _TARGET_STATUS[six.verdict], cluster=top)
    return d


def _draw_paths(d: Diagram, snapshot: Snapshot, paths: list[Path], source: str, target: str, *,
                suffix: str = "", parent: str | None = None) -> None:
    """Each lane of paths from the function to the target. Within a `parent` cluster (the IPv6
    part) every lane is boxed and every id carries `suffix`, apart from the other part's boxes."""
    lanes = path_lanes(paths)
    used: set[str] = set()
    for k, lane in enumerate(lanes):
        cluster = None
        if len(lanes) > 1 or parent is not None:
            subnets = [p.subnet_id or "Lambda service network" for p in lane]
            part = "IPv6 · " if parent is not None else ""  # the box says which part it is in the SVG
            cluster = d.cluster(f"lane-{k + 1}{suffix}", f"{part}{', '.join(subnets)}: {lane[0].verdict.value}",
                                parent=parent, box=True)
        ids = _hop_ids(lane)
        if k:  # a box another lane drew already gets the lane's first subnet as a suffix
            ids = {key: nid if nid not in used else f"{nid}@{lane[0].subnet_id}" for key, nid in ids.items()}
        used.update(ids.values())
        ids = {key: nid + suffix for key, nid in ids.items()}
        for p in lane:
            start = source
            if p.subnet_id:
                groups = ", ".join(p.security_group_ids) or "no security groups"
                start = d.node(p.subnet_id + suffix, "subnet", [
                    f"subnet {p.subnet_id}", name_of(p.subnet_id, snapshot) or "",
                    f"{p.availability_zone or '?'} · Hyperplane ENI with {groups}"], cluster=cluster)
                d.edge(source, start)
            _draw_path(d, snapshot, p, start, target, ids, cluster)


def path_lanes(paths: list[Path]) -> list[list[Path]]:
    """The paths grouped by what they meet after their subnet (hops, verdict, blocks), in order."""
    lanes: dict[tuple, list[Path]] = {}
    for p in paths:
        key = (tuple((h.component_id, h.kind, h.decision, h.direction, h.detail) for h in p.hops),
               p.verdict, p.reached, tuple((b.component_id, b.code) for b in p.blockers))
        lanes.setdefault(key, []).append(p)
    return list(lanes.values())


def _draw_path(d: Diagram, snapshot: Snapshot, p: Path, start: str, target: str,
               ids: dict[tuple, str], cluster: str | None) -> None:
    codes = {b.component_id: b.code for b in reversed(p.blockers)}
    codes[""] = p.blockers[0].code if p.blockers else ""
    seen: Counter = Counter()
    prev, before, last = start, start, None
    for h in (h for h in p.hops if not is_reply(h)):
        if last is not None and (h.component_id, h.kind) == (last.component_id, last.kind):
            prev = before  # one table, several routes: branches from the same hop, not a chain
        before, last = prev, h
        prev = _draw_hop(d, snapshot, h, prev, ids, seen, codes, cluster, reply=False)
    last = f"only {p.reached}" if p.reached else ("" if p.verdict == Verdict.REACHABLE else p.verdict.value)
    d.edge(prev, target, last, "flow" if p.verdict == Verdict.REACHABLE else "missed")
    prev = target
    replies = [h for h in p.hops if is_reply(h)]
    for i, h in enumerate(replies):
        prev = _draw_hop(d, snapshot, h, prev, ids, seen, codes, cluster, reply=True, first=i == 0)
    if replies:
        d.edge(prev, start, "", "reply")


def _draw_hop(d: Diagram, snapshot: Snapshot, h: Hop, prev: str, ids: dict[tuple, str], seen: Counter,
              codes: dict[str, str], cluster: str | None, *, reply: bool, first: bool = False) -> str:
    role = (h.component_id, h.kind, reply)
    seen[role] += 1
    nid = ids[(*role, seen[role])]
    status, style = _HOP_STATUS[h.decision]
    d.node(nid, h.kind, [f"{h.kind} {h.component_id}", name_of(h.component_id, snapshot) or "", h.detail],
           status, cluster)
    label = (codes.get(h.component_id) or codes[""] or h.decision.value) if style != "flow" else \
        ("reply" if first else "")
    d.edge(prev, nid, label, "reply" if reply and style == "flow" else style)
    return nid


def _hop_ids(paths: list[Path]) -> dict[tuple, str]:
    """Node ids per (component, kind, reply, n-th on a path): the AWS id, suffixed after its first role."""
    roles: dict[str, list[tuple]] = {}
    for p in paths:
        seen: Counter = Counter()
        for h in [*(h for h in p.hops if not is_reply(h)), *(h for h in p.hops if is_reply(h))]:
            role = (h.component_id, h.kind, is_reply(h))
            seen[role] += 1
            key = (*role, seen[role])
            if key not in roles.setdefault(h.component_id, []):
                roles[h.component_id].append(key)
    out = {}
    for cid, keys in roles.items():
        for i, (_, kind, reply, n) in enumerate(keys):
            suffix = ("reply-" if reply else "") + kind.rsplit("-", 1)[-1] + (f"-{n}" if n > 1 else "")
            out[(cid, kind, reply, n)] = cid if i == 0 else f"{cid}#{suffix}"
    return out


