"""Read a real account with boto3, read-only, into a snapshot (contract §2.4); boto3 lives only here."""
from .calls import IAM_ACTIONS
from .run import Progress, caller_account, collect_snapshot, open_session, resolve_regions
from .transform import SECRET_FIELDS
from .write import write_snapshot

__all__ = ["IAM_ACTIONS", "SECRET_FIELDS", "Progress", "caller_account", "collect_snapshot",
           "open_session", "resolve_regions", "write_snapshot"]
