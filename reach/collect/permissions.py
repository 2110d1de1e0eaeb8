"""Collect the permission keys: roles and policies, function, table and bucket policies (issue 13).

Only policies leave IAM: GetAccountAuthorizationDetails is asked for roles and managed policies,
and each role is cut down to the fields below, so no access key, login profile, password or user
detail is ever read into the snapshot."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from .calls import (ACCOUNT_AUTHORIZATION, BUCKET_POLICY, FUNCTION_POLICY, FUNCTION_URL,
                    LIST_BUCKETS, LIST_TABLES, TABLE_POLICY, Call)
from .get import CALL_FAILURES, Clients, attempt, gap
from .transform import clean

# The role fields written; everything else GetAccountAuthorizationDetails returns is dropped.
ROLE_FIELDS = ("Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument",
               "RolePolicyList", "AttachedManagedPolicies", "PermissionsBoundary", "Tags")
POLICY_FIELDS = ("PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "PolicyVersionList")
# Every region's lists carry these keys, in this order; account-wide ones are empty but in the first.
PERMISSION_KEYS = ("RoleDetailList", "Policies", "Buckets", "BucketPolicies", "FunctionPolicies",
                   "FunctionUrlConfigs", "ResourcePolicies")
# "There is no policy" answers: not gaps.
_NONE = {"ResourceNotFoundException", "PolicyNotFoundException", "NoSuchBucketPolicy"}


def _code(exc: Exception) -> str:
    return exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""


def _one(clients: Clients, region: str, call: Call, resource_id: str,
         **params: Any) -> tuple[dict | None, dict | None]:
    """One per-resource call: its response, None when the resource has no policy, or a gap."""
    try:
        client = clients.get(call.service, region)
        return getattr(client, call.method)(**params), None
    except CALL_FAILURES as exc:
        if _code(exc) in _NONE:
            return None, None
        return None, gap(call, region, exc, resource_id)


def _authorization_details(clients: Clients, region: str) -> tuple[dict[str, list], list[dict]]:
    """Roles and managed policies, every page; a refusal is one gap."""
    roles: list[dict] = []
    policies: list[dict] = []
    try:
        client = clients.get("iam", region)
        pages = client.get_paginator(ACCOUNT_AUTHORIZATION.method).paginate(
            **ACCOUNT_AUTHORIZATION.params)
        for page in pages:
            roles += [{k: r[k] for k in ROLE_FIELDS if k in r} for r in page.get("RoleDetailList") or []]
            policies += [{k: p[k] for k in POLICY_FIELDS if k in p} for p in page.get("Policies") or []]
    except CALL_FAILURES as exc:
        return {}, [gap(ACCOUNT_AUTHORIZATION, region, exc)]
    return {"RoleDetailList": roles, "Policies": policies}, []


def _function_policies(clients: Clients, region: str, functions: list[dict], pool) -> tuple[dict, list]:
    jobs = []
    for fn in functions:
        name, version = fn["FunctionName"], fn.get("Version", "$LATEST")
        qualifier = {} if version == "$LATEST" else {"Qualifier": version}
        label = name if not qualifier else f"{name}:{version}"
        jobs.append((name, version, pool.submit(_one, clients, region, FUNCTION_POLICY, label,
                                                FunctionName=name, **qualifier)))
        if version == "$LATEST":
            jobs.append((name, None, pool.submit(_one, clients, region, FUNCTION_URL, name,
                                                 FunctionName=name)))
    policies, urls, gaps = [], [], []
    for name, version, future in jobs:
        response, failed = future.result()
        if failed:
            gaps.append(failed)
        elif response and version is None:
            urls.append({k: response[k] for k in ("FunctionArn", "FunctionUrl", "AuthType", "Cors",
                                                  "InvokeMode") if k in response})
        elif response:
            item = {"FunctionName": name, "Policy": response["Policy"],
                    "RevisionId": response.get("RevisionId")}
            if version != "$LATEST":
                item["Qualifier"] = version
            policies.append(item)
    return {"FunctionPolicies": policies, "FunctionUrlConfigs": urls}, gaps


def _table_policies(clients: Clients, region: str, account: str, pool) -> tuple[dict, list]:
    names, failed = attempt(clients, region, LIST_TABLES)
    if failed:
        return {}, [failed]
    arns = [f"arn:aws:dynamodb:{region}:{account}:table/{n}" for n in names or []]
    futures = [(arn, pool.submit(_one, clients, region, TABLE_POLICY, arn, ResourceArn=arn)) for arn in arns]
    out, gaps = [], []
    for arn, future in futures:
        response, failed = future.result()
        if failed:
            gaps.append(failed)
        elif response:
            out.append({"ResourceArn": arn, "Policy": response["Policy"],
                        "RevisionId": response.get("RevisionId")})
    return {"ResourcePolicies": out}, gaps


def _bucket_policies(clients: Clients, region: str, pool) -> tuple[dict, list]:
    buckets, failed = attempt(clients, region, LIST_BUCKETS)
    if failed:
        return {}, [failed]
    futures = [(b["Name"], pool.submit(_one, clients, region, BUCKET_POLICY, b["Name"], Bucket=b["Name"]))
               for b in buckets or []]
    out, gaps = [], []
    for name, future in futures:
        response, failed = future.result()
        if failed:
            gaps.append(failed)
        elif response:
            out.append({"Bucket": name, "Policy": response["Policy"]})
    listed = [{k: b[k] for k in ("Name", "CreationDate", "BucketRegion") if k in b} for b in buckets or []]
    return {"Buckets": listed, "BucketPolicies": out}, gaps


def add_permissions(clients: Clients, account: str, regions: dict[str, dict[str, list]], *,
                    max_workers: int = 8) -> None:
    """Add the permission keys to each region's lists, in place, before its `Gaps`: account-wide
    ones (roles, policies, buckets) in the first region, per-region ones in each."""
    if not regions:
        return
    first = sorted(regions)[0]
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="reach-permissions") as pool:
        for region in sorted(regions):
            lists = regions[region]
            gaps = lists.pop("Gaps", [])
            found: dict[str, list] = {key: [] for key in PERMISSION_KEYS}
            parts = [_function_policies(clients, region, lists.get("Functions", []), pool),
                     _table_policies(clients, region, account, pool)]
            if region == first:
                parts = [_authorization_details(clients, region),
                         _bucket_policies(clients, region, pool), *parts]
            for items, more in parts:
                found.update(items)
                gaps += more
            lists.update(clean(found))
            lists["Gaps"] = sorted(gaps, key=lambda g: (g["Region"], g["Service"], g["Call"], g["Error"]))
