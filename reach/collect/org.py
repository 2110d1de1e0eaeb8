"""Many accounts: list an organisation's accounts, and assume a role in each (STS, refreshed)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable

from botocore.config import Config
from botocore.credentials import (AssumeRoleCredentialFetcher, CredentialProvider,
                                  CredentialResolver, RefreshableCredentials)

from ..errors import ReachInputError
from .calls import ASSUME_ROLE, LIST_ACCOUNTS
from .get import CALL_FAILURES, PROBE, error_text, fetch

ACCOUNT_ID = re.compile(r"^\d{12}$")
ROLE_NAME = re.compile(r"^[\w+=,.@/-]{1,512}$")
SESSION_NAME = "reach-collect"
# Organizations answers Status ACTIVE | SUSPENDED | PENDING_CLOSURE (and a newer State field);
# a suspended or closing account cannot be signed into, so it is not asked for.
_NOT_READABLE = {"SUSPENDED", "PENDING_CLOSURE", "CLOSED"}


@dataclass(frozen=True)
class Account:
    """One account to read: its id, its name when Organizations gave one."""

    account_id: str
    name: str | None = None


@dataclass(frozen=True)
class Skipped:
    """An account of the organisation that is not read, and why (its status)."""

    account_id: str
    name: str | None
    status: str


def parse_account_ids(values: Iterable[str]) -> list[Account]:
    """`--accounts 111122223333,444455556666` (repeatable): twelve digits each, duplicates dropped."""
    ids: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not ACCOUNT_ID.match(part):
                raise ReachInputError(f"--accounts: {part!r} is not an AWS account id (twelve digits)")
            ids.append(part)
    if not ids:
        raise ReachInputError("--accounts: no account id given")
    return [Account(a) for a in dict.fromkeys(ids)]


def check_role_name(name: str) -> str:
    if not ROLE_NAME.match(name) or name.startswith("arn:"):
        raise ReachInputError(f"--role-name: {name!r} is not an IAM role name (give the name, "
                              "or path/name, not an ARN)")
    return name.strip("/")


def list_organisation(session: Any, *, endpoint_url: str | None = None,
                      region: str | None = None) -> tuple[list[Account], list[Skipped]]:
    """Organizations ListAccounts, every page: the readable accounts, and those skipped.

    Only the management account or a delegated administrator may call it; a refusal stops the run.
    """
    client = session.client("organizations", region_name=region or session.region_name or "us-east-1",
                            endpoint_url=endpoint_url, config=PROBE)
    try:
        found = fetch(client, LIST_ACCOUNTS)
    except CALL_FAILURES as exc:
        raise ReachInputError(f"--org: {LIST_ACCOUNTS.action} was refused ({error_text(exc)}); run it "
                              "from the management account or a delegated administrator, or "
                              "name the accounts with --accounts") from None
    readable, skipped = [], []
    for item in sorted(found, key=lambda a: a["Id"]):
        status = str(item.get("State") or item.get("Status") or "ACTIVE").upper()
        if status in _NOT_READABLE or str(item.get("Status", "")).upper() in _NOT_READABLE:
            skipped.append(Skipped(item["Id"], item.get("Name"), status))
        else:
            readable.append(Account(item["Id"], item.get("Name")))
    return readable, skipped


def partition_of(session: Any, region: str | None) -> str:
    """The partition of the first hop's region (aws, aws-cn, aws-us-gov), for role ARNs."""
    try:
        return session._session.get_partition_for_region(region or "us-east-1")
    except Exception:  # an unknown region name: botocore's lookup refuses it; the commercial one
        return "aws"


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    return f"arn:{partition}:iam::{account_id}:role/{role_name}"


class _Assumed(CredentialProvider):
    """A credential provider that hands out one set of refreshing assumed-role credentials."""

    METHOD = "assume-role"
    CANONICAL_NAME = "reach-assume-role"

    def __init__(self, credentials: RefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> RefreshableCredentials:
        return self._credentials


def assume(session: Any, arn: str, *, external_id: str | None = None,
           endpoint_url: str | None = None, region: str | None = None) -> Any:
    """A boto3 session in the role's account: AssumeRole now (a refusal raises ClientError), and
    again by itself before the credentials expire, however long the account takes to read."""
    import boto3
    import botocore.session

    sts_region = region or session.region_name or "us-east-1"
    source = session._session  # the first hop's botocore session: the standard credential chain
    creator = functools.partial(source.create_client, region_name=sts_region,
                                endpoint_url=endpoint_url,
                                config=Config(retries={"mode": "standard", "max_attempts": 3},
                                              user_agent_extra="reach-collect"))
    credentials = source.get_credentials()
    if credentials is None:
        from botocore.exceptions import NoCredentialsError
        raise NoCredentialsError()
    extra = {"RoleSessionName": SESSION_NAME, **({"ExternalId": external_id} if external_id else {})}
    fetcher = AssumeRoleCredentialFetcher(creator, credentials, arn, extra_args=extra)
    refreshing = RefreshableCredentials.create_from_metadata(
        metadata=fetcher.fetch_credentials(), refresh_using=fetcher.fetch_credentials,
        method=_Assumed.METHOD)
    target = botocore.session.Session()
    target.register_component("credential_provider", CredentialResolver([_Assumed(refreshing)]))
    return boto3.Session(botocore_session=target, region_name=session.region_name or sts_region)


def assume_failure(arn: str, exc: Exception) -> str:
    """One line on why a role could not be assumed."""
    return f"{ASSUME_ROLE.action} {arn}: {error_text(exc)}"
