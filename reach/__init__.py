"""reach: offline AWS network reachability for Lambda functions, from an account snapshot."""
from .answer import Answer, Verdict
from .engine.query import can_reach
from .errors import ReachInputError
from .model import Snapshot, dump_snapshot, load_snapshot, parse_snapshot
from .questions.audit import AuditReport, audit
from .questions.enis import EniPlan, plan_enis
from .questions.intent import check_intent

__all__ = ["Answer", "AuditReport", "EniPlan", "ReachInputError", "Snapshot", "Verdict", "audit", "can_reach",
           "check_intent", "dump_snapshot", "load_snapshot", "parse_snapshot", "plan_enis"]
