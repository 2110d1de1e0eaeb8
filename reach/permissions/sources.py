"""Find the policies that govern a function's call in the snapshot: role, boundary, SCPs, resource,
endpoint; what the snapshot lacks becomes an unknown policy naming what is missing."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Function, Snapshot
from ..model.iam import (BucketPolicy, FunctionPolicy, FunctionUrlConfig, ManagedPolicy,
                         OrgPolicyLevel, PolicyDocument, ResourcePolicy, RoleDetail, parse_policy,
                         partition)
from .decide import Gates
from .evaluate import Caller, Policy, PolicyKind


@dataclass
class Account:
    """One account's permission data, merged across the regions that hold it."""

    roles: dict[str, RoleDetail] = field(default_factory=dict)  # by ARN
    roles_by_name: dict[str, RoleDetail] = field(default_factory=dict)
    policies: dict[str, ManagedPolicy] = field(default_factory=dict)  # by ARN
    resource_policies: dict[str, ResourcePolicy] = field(default_factory=dict)
    bucket_policies: dict[str, BucketPolicy] = field(default_factory=dict)
    buckets: set[str] = field(default_factory=set)
    function_policies: dict[tuple[str, str | None], FunctionPolicy] = field(default_factory=dict)
    url_configs: list[FunctionUrlConfig] = field(default_factory=list)
    scp: list[OrgPolicyLevel] | None = None
    rcp: list[OrgPolicyLevel] | None = None
    gaps: dict[str, list[str]] = field(default_factory=dict)  # call -> errors
    # Policies whose document the source does not show (a Terraform value known only after
    # apply, or sensitive): "ROLE/NAME" or ARN -> the address and attribute (Snapshot.opaque).
    hidden: dict[str, str] = field(default_factory=dict)


class IamIndex:
    """Every account's roles, policies and resource policies, by id (built once per snapshot)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.accounts: dict[str, Account] = {}
        for rs in snapshot.regions:
            acc = self.accounts.setdefault(rs.account_id, Account(hidden=snapshot.opaque))
            for role in rs.role_detail_list:
                acc.roles.setdefault(role.arn, role)
                acc.roles_by_name.setdefault(role.role_name, role)
            for pol in rs.policies:
                acc.policies.setdefault(pol.arn, pol)
            for rp in rs.resource_policies:
                acc.resource_policies.setdefault(rp.resource_arn, rp)
            for bp in rs.bucket_policies:
                acc.bucket_policies.setdefault(bp.bucket, bp)
                acc.buckets.add(bp.bucket)
            acc.buckets.update(b.name for b in rs.buckets)
            for fp in rs.function_policies:
                acc.function_policies.setdefault((fp.function_name, fp.qualifier), fp)
            acc.url_configs.extend(rs.function_url_configs)
            if rs.service_control_policies is not None:
                acc.scp = [*(acc.scp or []), *rs.service_control_policies]
            if rs.resource_control_policies is not None:
                acc.rcp = [*(acc.rcp or []), *rs.resource_control_policies]
            for gap in rs.gaps:
                acc.gaps.setdefault(gap.call, []).append(gap.error or "")

    @classmethod
    def of(cls, snapshot: Snapshot) -> "IamIndex":
        index = snapshot.__dict__.get("_iam_index")
        if index is None:
            index = snapshot.__dict__["_iam_index"] = cls(snapshot)
        return index

    def account(self, account_id: str) -> Account:
        return self.accounts.get(account_id) or Account()


def caller_of(function: Function, account: str, region: str) -> Caller | None:
    """The function's execution-role session, or None when the snapshot names no role."""
    if not function.role:
        return None
    role_name = function.role.rsplit("/", 1)[-1]
    session = f"arn:{partition(region)}:sts::{account}:assumed-role/{role_name}/{function.function_name}"
    return Caller(function.role, account, session)


def _gap(acc: Account, call: str, resource: str | None = None) -> str | None:
    """A collector gap that hides this data: the whole call, or the call for this resource."""
    for error in acc.gaps.get(call, []):
        if resource is None or error.split(": ", 1)[0] == resource:
            return error
    return None


def role_policies(acc: Account, role_arn: str) -> tuple[list[Policy], Policy | None, str | None]:
    """The role's identity policies and its boundary; the third value names missing data."""
    role = acc.roles.get(role_arn) or acc.roles_by_name.get(role_arn.rsplit("/", 1)[-1])
    if role is None:
        gap = _gap(acc, "GetAccountAuthorizationDetails")
        why = (f"iam:GetAccountAuthorizationDetails was not collected ({gap})" if gap else
               f"role {role_arn} is not in the snapshot's RoleDetailList")
        return [Policy(role_arn, PolicyKind.IDENTITY, None, missing=why)], None, why
    out = [Policy(f"{role.role_name}/{p.policy_name}", PolicyKind.IDENTITY, p.policy_document,
                  missing=None if p.policy_document else
                  _no_document(acc, "inline policy", f"{role.role_name}/{p.policy_name}"))
           for p in role.role_policy_list]
    out += [_managed(acc, a.policy_arn, PolicyKind.IDENTITY) for a in role.attached_managed_policies]
    boundary = (_managed(acc, role.permissions_boundary.permissions_boundary_arn, PolicyKind.BOUNDARY)
                if role.permissions_boundary else None)
    return out, boundary, None


def _managed(acc: Account, arn: str, kind: PolicyKind) -> Policy:
    pol = acc.policies.get(arn)
    doc = pol.document if pol else None
    missing = (None if doc else _no_document(acc, "managed policy", arn) if pol
               else f"managed policy {arn} is attached but not in the snapshot's Policies")
    return Policy(arn, kind, doc, missing=missing)


def _no_document(acc: Account, what: str, name: str) -> str:
    where = acc.hidden.get(name)
    return (f"the document of {what} {name} is not in the plan ({where})" if where
            else f"{what} {name} has no document in the snapshot")


def _levels(levels: list[OrgPolicyLevel] | None, kind: PolicyKind) -> list[list[Policy]] | None:
    if levels is None:
        return None
    return [[Policy(p.policy_summary.arn or p.policy_summary.name or p.policy_summary.id or lv.target_id,
                    kind, p.content, level=lv.target_id) for p in lv.policies] for lv in levels]


def endpoint_policy(snapshot: Snapshot, endpoint_id: str) -> Policy:
    """The endpoint's policy; none in the snapshot, or unreadable, is unknown (rule 3.10)."""
    ep = snapshot.get("VpcEndpoints", endpoint_id)
    text = getattr(ep, "policy_document", None)
    if not text:
        return Policy(endpoint_id, PolicyKind.ENDPOINT, None,
                      missing=f"{endpoint_id} has no PolicyDocument in the snapshot")
    try:
        doc: PolicyDocument | None = parse_policy(text)
        missing = None
    except ValueError:
        doc, missing = None, f"{endpoint_id} PolicyDocument is not a valid policy"
    return Policy(endpoint_id, PolicyKind.ENDPOINT, doc, missing=missing)


def resource_policy(acc: Account, service: str, arn: str, bucket: str | None) -> list[Policy]:
    """The table's or bucket's policy: [] when it has none, an unknown one when not collected."""
    if service == "dynamodb":
        rp = acc.resource_policies.get(arn)
        if rp:
            return [Policy(arn, PolicyKind.RESOURCE, rp.policy)]
        gap = _gap(acc, "GetResourcePolicy", arn) or _gap(acc, "ListTables")
    elif service == "s3" and bucket:
        bp = acc.bucket_policies.get(bucket)
        name = f"arn:aws:s3:::{bucket}"
        if bp:
            return [Policy(name, PolicyKind.RESOURCE, bp.policy)]
        gap = _gap(acc, "GetBucketPolicy", bucket) or _gap(acc, "ListBuckets")
        arn = name
    else:
        return []
    if gap:
        return [Policy(arn, PolicyKind.RESOURCE, None, missing=f"its policy was not collected ({gap})")]
    return []


def gates_for(snapshot: Snapshot, caller: Caller, *, service: str, resource_arn: str | None,
              bucket: str | None = None, endpoint_id: str | None = None,
              rcp_applies: bool = False) -> Gates:
    """Every gate of one call by the function's role (P1 to P7)."""
    acc = IamIndex.of(snapshot).account(caller.account)
    identity, boundary, _ = role_policies(acc, caller.role_arn)
    resource = (resource_policy(acc, service, resource_arn or "", bucket)
                if resource_arn else None)
    return Gates(identity=identity, role=caller.role_arn, boundary=boundary,
                 scp_levels=_levels(acc.scp, PolicyKind.SCP),
                 rcp_levels=_levels(acc.rcp, PolicyKind.RCP) if rcp_applies else None,
                 resource=resource, resource_name=resource_arn,
                 endpoint=endpoint_policy(snapshot, endpoint_id) if endpoint_id else None)
