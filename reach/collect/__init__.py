"""Read real accounts with boto3, read-only, into a snapshot (contract §2.4); boto3 lives only here."""
from .calls import IAM_ACTIONS
from .many import AccountResult, collect_accounts
from .org import Account, list_organisation
from .run import Progress, caller_account, collect_regions, collect_snapshot, open_session, resolve_regions
from .transform import SECRET_FIELDS, assemble_accounts
from .write import write_snapshot

__all__ = ["IAM_ACTIONS", "SECRET_FIELDS", "Account", "AccountResult", "Progress",
           "assemble_accounts", "caller_account", "collect_accounts", "collect_regions",
           "collect_snapshot", "list_organisation", "open_session", "resolve_regions",
           "write_snapshot"]
