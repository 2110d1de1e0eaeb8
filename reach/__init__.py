"""reach: offline AWS network reachability for Lambda functions, from an account snapshot.

The public names are imported on first use (PEP 562), so that `import reach.cli` for
`reach --help` loads neither pydantic models nor the engine."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Answer": ".answer", "Verdict": ".answer", "can_reach": ".engine.query", "ReachInputError": ".errors",
    "Snapshot": ".model", "dump_snapshot": ".model", "load_snapshot": ".model", "parse_snapshot": ".model",
    "AuditReport": ".questions.audit", "audit": ".questions.audit", "EniPlan": ".questions.enis",
    "plan_enis": ".questions.enis", "check_intent": ".questions.intent",
}
__all__ = sorted(_WHERE)

if TYPE_CHECKING:
    from .answer import Answer, Verdict
    from .engine.query import can_reach
    from .errors import ReachInputError
    from .model import Snapshot, dump_snapshot, load_snapshot, parse_snapshot
    from .questions.audit import AuditReport, audit
    from .questions.enis import EniPlan, plan_enis
    from .questions.intent import check_intent


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'reach' has no attribute {name!r}")
    value = getattr(import_module(where, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
