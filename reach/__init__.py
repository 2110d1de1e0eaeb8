"""reach: offline AWS network reachability for Lambda functions, from an account snapshot."""
from .answer import Answer, Verdict
from .enis import EniPlan, plan_enis
from .errors import ReachInputError
from .model import Snapshot, dump_snapshot, load_snapshot, parse_snapshot
from .query import can_reach

__all__ = ["Answer", "EniPlan", "ReachInputError", "Snapshot", "Verdict", "can_reach", "dump_snapshot",
           "load_snapshot", "parse_snapshot", "plan_enis"]
