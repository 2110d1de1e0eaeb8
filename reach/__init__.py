"""reach: offline AWS network reachability for Lambda functions, from an account snapshot."""
from .errors import ReachInputError
from .model import Snapshot, dump_snapshot, load_snapshot

__all__ = ["ReachInputError", "Snapshot", "dump_snapshot", "load_snapshot"]
