"""The permission half of an answer: may the function's role call these actions on this resource?"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from ..errors import ReachInputError
from ..model import Function, Snapshot
from .catalogue import ActionInfo, action_info, rcp_services, template_variables
from .conditions import Context
from .decide import ActionDecision, Fix, decide
from .evaluate import Caller, Policy, PolicyKind, Request, Unknown, Verdict
from .match import ANY_RESOURCE, Resource
from .sources import IamIndex, caller_of, gates_for, partition

# The defaults of contract §2.1 and of the logs target (issue 13).
DEFAULT_ACTIONS = {"dynamodb": ("dynamodb:GetItem", "dynamodb:PutItem"),
                   "s3": ("s3:GetObject", "s3:PutObject")}
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
LOG_GROUP_ACTION = "logs:CreateLogGroup"
# What Lambda needs to create and manage its Hyperplane ENIs (rule 1.20).
ENI_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
               "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
               "ec2:UnassignPrivateIpAddresses")
# ARN template variables: the part after these is a name no snapshot knows (an object key).
_OPEN = {"ObjectName", "LogStreamName"}


@dataclass(frozen=True)
class PermissionAnswer:
    """Contract §2.1's `permission`: a verdict, and one decision per action."""

    verdict: Verdict
    actions: list[ActionDecision]
    not_judged: tuple[str, ...] = ()  # "scp", "rcp": policy types the snapshot does not hold
    conditional: tuple[str, ...] = ()  # actions needed only in some case (CreateLogGroup)
    endpoint_ids: tuple[str, ...] = ()

    def fixes(self) -> list[Fix]:
        """The smallest change for the whole answer: one statement per policy and resource, with
        every action it lacks; each Deny to remove, once."""
        merged: dict[tuple, Fix] = {}
        for decision in self.actions:
            if decision.verdict is not Verdict.DENIED:
                continue
            for f in decision.fixes:
                if f.statement is None:
                    merged.setdefault((f.policy, f.remove_sid), f)
                    continue
                key = (f.policy, f.kind, f.statement["Resource"], json.dumps(f.statement.get("Principal")))
                prev = merged.get(key)
                if prev is None:
                    merged[key] = f
                else:
                    acts = prev.statement["Action"]
                    acts = [acts] if isinstance(acts, str) else acts
                    merged[key] = replace(prev, statement={**prev.statement, "Action": [*acts, f.statement["Action"]]})
        return list(merged.values())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"verdict": self.verdict.value,
                               "actions": [_action_dict(a) for a in self.actions]}
        fixes = self.fixes()
        if fixes:
            out["fix"] = [_fix_dict(f) for f in fixes]
        if self.not_judged:
            out["not_judged"] = list(self.not_judged)
        return out


def _action_dict(a: ActionDecision) -> dict[str, Any]:
    out: dict[str, Any] = {"action": a.action, "resource": a.resource, "verdict": a.verdict.value,
                           "decided_by": [{"policy": d.policy, "sid": d.sid, "effect": d.effect}
                                          for d in dict.fromkeys(a.decided_by)]}
    if a.not_allowed_by:
        out["not_allowed_by"] = a.not_allowed_by
    if a.unknowns:
        out["unknown"] = [{"policy": u.policy, "sid": u.sid, "reason": u.reason, "detail": u.detail}
                          for u in a.unknowns]
    if a.fixes:
        out["fix"] = [_fix_dict(f) for f in a.fixes]
    return out


def _fix_dict(f: Fix) -> dict[str, Any]:
    if f.statement is not None:
        return {"policy": f.policy, "kind": f.kind.value, "add_statement": f.statement}
    return {"policy": f.policy, "kind": f.kind.value, "remove_statement": {"sid": f.remove_sid,
                                                                          "effect": f.remove_effect}}


def combine(decisions: list[ActionDecision]) -> Verdict:
    """Any action denied: denied; else any unknown: unknown; else allowed."""
    verdicts = {d.verdict for d in decisions}
    if Verdict.DENIED in verdicts:
        return Verdict.DENIED
    return Verdict.UNKNOWN if Verdict.UNKNOWN in verdicts or not decisions else Verdict.ALLOWED


def check_actions(service: str, actions: list[str] | tuple[str, ...]) -> list[ActionInfo]:
    """Resolve `--action` values against the catalogue; each must be of the target's service."""
    infos = [action_info(a) for a in actions]
    for info in infos:
        if info.service != service:
            raise ReachInputError(f"--action {info.name} is not a {service} action "
                                  f"(the target is a {service} resource)")
    return infos


def resource_for(info: ActionInfo, values: dict[str, str]) -> Resource:
    """The ARN the action is authorised on, from the catalogue's template of its resource type."""
    if not info.resource_types:
        return ANY_RESOURCE
    for template in info.arn_templates:
        names = template_variables(template)
        unknown = [n for n in names if n not in values]
        if not unknown:
            return Resource(_fill(template, values))
        if unknown == [names[-1]] and names[-1] in _OPEN and template.endswith("${%s}" % names[-1]):
            return Resource(_fill(template.removesuffix("${%s}" % names[-1]), values), open=True)
    raise ReachInputError(f"{info.name} acts on {', '.join(info.resource_types)}, "
                          "not on the target's resource")


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("${%s}" % key, value)
    return template


def _context(caller: Caller, region: str, endpoint_id: str | None, vpc_id: str | None) -> Context:
    values = {"aws:principalarn": (caller.role_arn,), "aws:principalaccount": (caller.account,),
              "aws:requestedregion": (region,), "aws:securetransport": ("true",)}
    if endpoint_id:  # present only on requests through a VPC endpoint
        values["aws:sourcevpce"] = (endpoint_id,)
        if vpc_id:
            values["aws:sourcevpc"] = (vpc_id,)
    return Context(values)


def _no_role(function: Function, infos: list[ActionInfo], values: dict[str, str]) -> PermissionAnswer:
    why = f"function {function.qualified_name} has no Role in the snapshot"
    return PermissionAnswer(Verdict.UNKNOWN, [
        ActionDecision(i.name, "*", Verdict.UNKNOWN, [],
                       unknowns=[Unknown(function.qualified_name, None, "missing", why)])
        for i in infos])


def judge_permission(snapshot: Snapshot, function: Function, *, service: str, name: str | None,
                     actions: list[str] | tuple[str, ...], account: str, region: str,
                     endpoint_ids: list[str | None] = (None,), vpc_id: str | None = None,
                     conditional: tuple[str, ...] = ()) -> PermissionAnswer:
    """Judge each action for the function's role on one table, bucket or log group.

    `endpoint_ids`: the VPC endpoints the network paths go through (None: no endpoint); an action
    is allowed only when allowed through every one of them."""
    infos = check_actions(service, actions)
    values = {"Partition": partition(region), "Region": region, "Account": account}
    if name is not None:
        values.update({"dynamodb": {"TableName": name}, "s3": {"BucketName": name},
                       "logs": {"LogGroupName": name}}.get(service, {}))
    caller = caller_of(function, account, region)
    if caller is None:
        return _no_role(function, infos, values)
    acc = IamIndex.of(snapshot).account(account)
    resource_account = account
    if service == "s3" and name is not None and name not in acc.buckets:
        resource_account = None  # the owner is not known: judged as another account's bucket
    rcp = service in rcp_services() and resource_account == account
    decisions = []
    for info in infos:
        resource = resource_for(info, values) if name is not None else ANY_RESOURCE
        per_path = []
        for endpoint_id in dict.fromkeys(endpoint_ids or [None]):
            req = Request(info.name, resource, resource_account or "unknown", caller,
                          _context(caller, region, endpoint_id, vpc_id))
            arn = _resource_policy_arn(service, values)
            gates = gates_for(snapshot, caller, service=service, resource_arn=arn,
                              bucket=name if service == "s3" else None,
                              endpoint_id=endpoint_id, rcp_applies=rcp)
            if resource_account is None:
                gates = replace(gates, resource=[Policy(
                    arn or "", PolicyKind.RESOURCE, None,
                    missing=f"bucket {name} is not listed in account {account}: "
                            "its owner and its policy are unknown")])
            per_path.append(decide(req, gates))
        decision = _worst(per_path)
        if info.name in conditional and decision.verdict is Verdict.DENIED:
            decision = ActionDecision(decision.action, decision.resource, Verdict.UNKNOWN,
                                      decision.decided_by, decision.not_allowed_by,
                                      [Unknown(decision.resource, None, "conditional", info.name)],
                                      decision.fixes)
        decisions.append(decision)
    not_judged = tuple(k for k, v in (("scp", acc.scp), ("rcp", acc.rcp if rcp else [])) if v is None)
    return PermissionAnswer(combine(decisions), decisions, not_judged, conditional,
                            tuple(e for e in endpoint_ids if e))


def _resource_policy_arn(service: str, values: dict[str, str]) -> str | None:
    if service == "dynamodb" and "TableName" in values:
        return f"arn:{values['Partition']}:dynamodb:{values['Region']}:{values['Account']}:table/{values['TableName']}"
    if service == "s3" and "BucketName" in values:
        return f"arn:{values['Partition']}:s3:::{values['BucketName']}"
    return None


def _worst(decisions: list[ActionDecision]) -> ActionDecision:
    for verdict in (Verdict.DENIED, Verdict.UNKNOWN):
        for d in decisions:
            if d.verdict is verdict:
                return d
    return decisions[0]


def judge_logs(snapshot: Snapshot, function: Function, *, account: str, region: str,
               log_group: str | None = None, group_exists: bool | None = None) -> PermissionAnswer:
    """May the function write its logs? No network path is involved (rule 1.24)."""
    group = log_group or f"/aws/lambda/{function.function_name}"
    actions = [*LOG_ACTIONS] + ([] if group_exists else [LOG_GROUP_ACTION])
    conditional = () if group_exists is False else (LOG_GROUP_ACTION,)
    return judge_permission(snapshot, function, service="logs", name=group, actions=actions,
                            account=account, region=region, conditional=conditional)


def judge_eni(snapshot: Snapshot, function: Function, *, account: str, region: str) -> PermissionAnswer:
    """May Lambda create and manage the function's Hyperplane ENIs with its role (rule 1.20)?"""
    return judge_permission(snapshot, function, service="ec2", name=None, actions=ENI_ACTIONS,
                            account=account, region=region)
