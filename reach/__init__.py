"""reach: offline AWS network reachability for Lambda functions, from an account snapshot."""
from .answer import Answer, Verdict
from .audit import AuditReport, audit
from .enis import EniPlan, plan_enis
from .errors import ReachInputError
from .intent import check_intent
from .model import Snapshot, dump_snapshot, load_snapshot, parse_snapshot
from .query import can_reach

__all__ = ["Answer", "AuditReport", "EniPlan", "ReachInputError", "Snapshot", "Verdict", "audit", "can_reach", "check_intent", "dump_snapshot",
           "load_snapshot", "parse_snapshot", "plan_enis"]
