"""Terraform IAM roles, policies and Lambda permissions -> GetAccountAuthorizationDetails and GetPolicy shapes."""
from __future__ import annotations

import copy
import re
from typing import Any

from ..iam import decode_document, partition
from .compute import function_arn, function_name
from .document import Instance
from .network import known, tags
from .policy import document
from .world import UNKNOWN, UNKNOWN_PREFIX, World, path_text

ROLES, POLICIES, FUNCTION_POLICIES = "RoleDetailList", "Policies", "FunctionPolicies"
# Sub-lists whose items have a name of their own: a plan's item replaces the one of that name
# (a role has one inline policy per name and attaches a managed policy once; a function policy has
# one statement per Sid).
KEYED = {"RolePolicyList": "PolicyName", "AttachedManagedPolicies": "PolicyArn", "Statement": "Sid"}
# Values of the id field of each key (apply.py matches base items by it).
ID_FIELDS = {ROLES: "RoleName", POLICIES: "Arn"}
_ARN = re.compile(r"arn:(aws[\w-]*):[\w-]+:[\w-]*:(\d{12}):")
_FUNCTION = re.compile(r"(?:arn:aws[\w-]*:lambda:[\w-]+:)?(?:\d{12}:)?(?:function:)?([\w-]+)(?::([\w$-]+))?")


def plan_account(instances: list[Instance]) -> str | None:
    """The account the plan acts in: `data.aws_caller_identity`, else a known ARN's account."""
    for inst in instances:
        if inst.mode == "data" and inst.type == "aws_caller_identity":
            account = (inst.after or inst.before or {}).get("account_id")
            if isinstance(account, str) and re.fullmatch(r"\d{12}", account):
                return account
    # The plan's own resources first: a data source may read another account's object.
    for inst in sorted(instances, key=lambda i: i.mode != "managed"):
        for values in (inst.after, inst.before):
            m = _ARN.match(str((values or {}).get("arn") or ""))
            if m:
                return m.group(2)
    return None


# --- names and ARNs, known or derived as AWS derives them ---

def _path(w: World, inst: Instance) -> str:
    path = known(w.get(inst, "path"))
    return path if isinstance(path, str) and path.startswith("/") else "/"


def role_name(w: World, inst: Instance) -> str:
    """The role's name (its Terraform id): known, else a stable one from its address."""
    return known(w.get(inst, "name")) or w.id_of(inst)


def role_arn(w: World, inst: Instance) -> str:
    """`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` (IAM identifiers reference)."""
    arn = known(w.get(inst, "arn"))
    if isinstance(arn, str):
        return arn
    return f"arn:{partition(w.doc.region)}:iam::{w.account or 'unknown'}:role{_path(w, inst)}{role_name(w, inst)}"


def policy_name(w: World, inst: Instance) -> str:
    return known(w.get(inst, "name")) or w.synthetic(inst.address, "policy")


def policy_arn(w: World, inst: Instance) -> str:
    """A customer managed policy's ARN (its Terraform id): known, else as IAM builds it."""
    arn = known(w.get(inst, "arn")) or known(w.get(inst, "id"))
    if isinstance(arn, str) and arn.startswith("arn:"):
        return arn
    return (f"arn:{partition(w.doc.region)}:iam::{w.account or 'unknown'}:policy{_path(w, inst)}"
            f"{policy_name(w, inst)}")


# (type, attribute) -> what AWS derives when the plan leaves it unknown (World.computed).
COMPUTED = {("aws_iam_role", None): role_name, ("aws_iam_role", "name"): role_name,
            ("aws_iam_role", "arn"): role_arn, ("aws_iam_policy", None): policy_arn,
            ("aws_iam_policy", "arn"): policy_arn, ("aws_iam_policy", "name"): policy_name,
            ("aws_lambda_function", None): function_name,
            ("aws_lambda_function", "function_name"): function_name,
            ("aws_lambda_function", "arn"): function_arn}


# --- converters (build.MANAGED) ---

def role(w: World, inst: Instance) -> None:
    """A role with its trust policy, `inline_policy` blocks, `managed_policy_arns` and boundary.
    When the configuration does not set `inline_policy` or `managed_policy_arns`, the plan shows
    what was read from AWS (or unknown, for a new role: none yet); the role's own
    aws_iam_role_policy and _attachment resources then decide (`fold`, `finish`)."""
    name = role_name(w, inst)
    obj: dict[str, Any] = {"RoleName": name, "Arn": role_arn(w, inst), "Path": _path(w, inst),
                           "RoleId": known(w.get(inst, "unique_id")), "Tags": tags(w, inst),
                           "RolePolicyList": [], "AttachedManagedPolicies": []}
    trust = document(w, inst, "assume_role_policy")
    if trust is not None:
        obj["AssumeRolePolicyDocument"] = trust
    boundary = w.get(inst, "permissions_boundary")
    if boundary is UNKNOWN or known(boundary) is not None:
        obj["PermissionsBoundary"] = {"PermissionsBoundaryArn": w.ref(inst, "permissions_boundary"),
                                      "PermissionsBoundaryType": "Policy"}
    inline = w.get(inst, "inline_policy")
    if inline is UNKNOWN and w.wiring.has_argument(inst, "inline_policy"):
        obj["RolePolicyList"].append({"PolicyName": w.placeholder(inst, ("inline_policy",))})
    for i, block in enumerate(inline if isinstance(inline, list) else []):
        pname = known((block or {}).get("name")) if isinstance(block, dict) else None
        if pname:  # an empty `inline_policy {}` block stands for none
            obj["RolePolicyList"].append(_inline(w, inst, f"{name}/{pname}", ("inline_policy", i, "policy")))
    if w.get(inst, "managed_policy_arns") is not UNKNOWN or w.wiring.has_argument(inst, "managed_policy_arns"):
        for arn in w.refs(inst, "managed_policy_arns"):
            obj["AttachedManagedPolicies"].append(_attached(arn))
    w.put(ROLES, name, {k: v for k, v in obj.items() if v is not None}, inst)


def _inline(w: World, inst: Instance, label: str, path: tuple) -> dict:
    """An inline policy; `label` is ROLE/NAME, how answers name it (contract §2.1)."""
    name = label.split("/", 1)[1]
    doc = document(w, inst, *path)
    if doc is None:
        return {"PolicyName": name, **_unread(w, inst, path, label)}
    return {"PolicyName": name, "PolicyDocument": doc}


def _unread(w: World, inst: Instance, path: tuple, label: str) -> dict:
    """A document the plan does not show (unknown, sensitive) is left out, so the policy is judged
    unknown, and `label` is listed as opaque with the address and attribute that hide it. When the
    resource changes, each side is marked apart (the model ignores the mark): the change may be in
    what nobody can read, so the base's copy goes."""
    w.make_opaque(label, inst, path_text(path))
    return {} if inst.action == "no-op" else {"TerraformUnread": f"{w.side}:{label}"}


def _attached(arn: str) -> dict:
    return {"PolicyArn": arn, "PolicyName": arn.rsplit("/", 1)[-1]}


def role_policy(w: World, inst: Instance) -> None:
    """An inline policy of a role (`role` is the role's name)."""
    name = known(w.get(inst, "name")) or w.synthetic(inst.address, "policy")
    owner = w.ref(inst, "role")
    fold(w, ROLES, owner, "RolePolicyList", _inline(w, inst, f"{owner}/{name}", ("policy",)), inst)


def role_policy_attachment(w: World, inst: Instance) -> None:
    fold(w, ROLES, w.ref(inst, "role"), "AttachedManagedPolicies",
         _attached(w.ref(inst, "policy_arn") or w.placeholder(inst, ("policy_arn",))), inst)


def policy_attachment(w: World, inst: Instance) -> None:
    """An exclusive attachment: the listed roles have the policy, and no other role does (users
    and groups are not read: a Lambda function acts with its role)."""
    arn = w.ref(inst, "policy_arn") or w.placeholder(inst, ("policy_arn",))
    roles = set(w.refs(inst, "roles"))
    w.exclusive.append(("AttachedManagedPolicies", "PolicyArn", None, arn, roles))
    for name in sorted(roles):
        fold(w, ROLES, name, "AttachedManagedPolicies", _attached(arn), inst)


def role_exclusive(w: World, inst: Instance) -> None:
    """aws_iam_role_policies_exclusive / _policy_attachments_exclusive: the role keeps the inline
    policies (or managed policies) listed, and loses every other one on apply."""
    field_name, attr = (("RolePolicyList", "policy_names") if inst.type == "aws_iam_role_policies_exclusive"
                        else ("AttachedManagedPolicies", "policy_arns"))
    kept = w.get(inst, attr)
    if isinstance(kept, list) and not (w.side == "after" and any(inst.is_unknown(attr, i)
                                                                 for i in range(len(kept)))):
        w.exclusive.append((field_name, KEYED[field_name], w.ref(inst, "role_name"), None,
                            {k for k in kept if isinstance(k, str)}))


def managed_policy(w: World, inst: Instance) -> None:
    """A customer managed policy (or a data source's): its default version's document."""
    arn = policy_arn(w, inst)
    version: dict[str, Any] = {"VersionId": "v1", "IsDefaultVersion": True}
    doc = document(w, inst, "policy")
    version.update(_unread(w, inst, ("policy",), arn) if doc is None else {"Document": doc})
    w.put(POLICIES, arn, {"Arn": arn, "PolicyName": policy_name(w, inst), "Path": _path(w, inst),
                          "DefaultVersionId": "v1", "PolicyVersionList": [version]}, inst)


def lambda_permission(w: World, inst: Instance) -> None:
    """One statement of the function's resource policy, as Lambda AddPermission writes it
    (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html)."""
    name, arn, qualifier = _permission_function(w, inst)
    qualifier = known(w.get(inst, "qualifier")) or qualifier
    principal = known(w.get(inst, "principal")) or w.placeholder(inst, ("principal",))
    stmt: dict[str, Any] = {"Sid": known(w.get(inst, "statement_id")) or w.synthetic(inst.address, "sid"),
                            "Effect": "Allow", "Principal": _principal(principal, w.doc.region),
                            "Action": known(w.get(inst, "action")) or w.placeholder(inst, ("action",))}
    if arn:
        stmt["Resource"] = f"{arn}:{qualifier}" if qualifier else arn
    conditions: dict[str, dict[str, str]] = {}
    for attr, op, key in (("source_arn", "ArnLike", "AWS:SourceArn"),
                          ("source_account", "StringEquals", "AWS:SourceAccount"),
                          ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
                          ("function_url_auth_type", "StringEquals", "lambda:FunctionUrlAuthType"),
                          ("event_source_token", "StringEquals", "lambda:EventSourceToken")):
        value = w.get(inst, attr)
        if value is UNKNOWN or known(value):
            # The token is a shared secret: its presence is kept, never its value.
            shown = "(sensitive)" if attr == "event_source_token" else w.ref(inst, attr)
            conditions.setdefault(op, {})[key] = shown
    if conditions:
        stmt["Condition"] = conditions
    rid = f"{name}:{qualifier}" if qualifier else name
    w.fold(FUNCTION_POLICIES, rid, "Statement", stmt, inst)


def _permission_function(w: World, inst: Instance) -> tuple[str, str | None, str | None]:
    """(name, ARN, qualifier) of the function a permission is for: `function_name` may be a name,
    an ARN or a partial ARN, each with an optional qualifier."""
    value = known(w.get(inst, "function_name"))
    if value is None:
        targets = w.wiring.resolve(inst, ("function_name",), many=False) or []
        source = targets[0].instance if len(targets) == 1 else None
        if source is not None and source.type == "aws_lambda_function":
            return function_name(w, source), function_arn(w, source), None
        value = w.ref(inst, "function_name")
    m = _FUNCTION.fullmatch(value or "")
    if not m:
        return value or "", None, None
    name = m.group(1)
    region, account = w.doc.region, w.account
    if value.startswith("arn:"):
        region, account = value.split(":")[3], value.split(":")[4]
    arn = (f"arn:{partition(region)}:lambda:{region}:{account}:function:{name}"
           if region and account else None)
    return name, arn, m.group(2)


def _principal(value: str, region: str | None) -> Any:
    """How Lambda writes AddPermission's Principal: an account id as its root ARN."""
    if value == "*":
        return "*"
    if re.fullmatch(r"\d{12}", value):
        return {"AWS": f"arn:{partition(region)}:iam::{value}:root"}
    if value.startswith("arn:") or "." not in value:
        return {"AWS": value}
    return {"Service": value}


# --- folding into roles and function policies ---

def fold(w: World, key: str, rid: str | None, field_name: str, item: dict, inst: Instance) -> None:
    """Add a named item to its parent, replacing the item of the same name."""
    parent = w.objects[key].get(rid) if rid else None
    if parent is None:
        w.fold(key, rid, field_name, item, inst)
        return
    w.origin[rid].add(inst.address)
    parent[field_name] = [*_without(parent.get(field_name, []), field_name, item[KEYED[field_name]]), item]


def _without(items: Any, field_name: str, value: Any) -> list:
    """The items of a named sub-list but the one called `value` (a single item may stand alone)."""
    name = KEYED[field_name]
    return [i for i in ([items] if isinstance(items, dict) else items) if i.get(name) != value]


def finish(w: World) -> None:
    """What the plan removes from a role it also shows: the role's `inline_policy` and
    `managed_policy_arns` still list, before apply, a policy whose resource the plan deletes."""
    for inst in w.doc.instances:
        gone = (inst.after if w.side == "after" else inst.before) is None
        other = inst.before if w.side == "after" else inst.after
        if not gone or not other or inst.type not in ("aws_iam_role_policy", "aws_iam_role_policy_attachment"):
            continue
        parent = w.objects[ROLES].get(other.get("role"))
        if parent is None:
            continue
        field_name, value = (("RolePolicyList", other.get("name")) if inst.type == "aws_iam_role_policy"
                             else ("AttachedManagedPolicies", other.get("policy_arn")))
        parent[field_name] = _without(parent.get(field_name, []), field_name, value)
        w.origin[parent["RoleName"]].add(inst.address)
    keep_exclusive({ROLES: list(w.objects[ROLES].values())}, w)


def keep_exclusive(lists: dict, w: World) -> None:
    """What exclusive resources remove on apply: a policy from the roles an
    aws_iam_policy_attachment does not list; a role's policies its `_exclusive` resource does not."""
    for field_name, name, role, item, kept in w.exclusive:
        for obj in lists.get(ROLES, []):
            if role is None:  # one policy, the roles that keep it
                if obj.get("RoleName") not in kept:
                    obj[field_name] = _without(obj.get(field_name, []), field_name, item)
            elif obj.get("RoleName") == role:  # one role, the policies it keeps
                obj[field_name] = [i for i in obj.get(field_name, []) if i.get(name) in kept]


def patch(obj: dict, old: list[tuple[str, Any]], new: list[tuple[str, Any]]) -> dict:
    """A base role or function policy with the plan's named items swapped in: the before side's
    items leave, the after side's replace any of the same name."""
    out = copy.deepcopy(obj)
    holder = out
    if "Policy" in out:  # a function policy: its statements live in the document
        holder = decode_document(out["Policy"]) if out.get("Policy") else {}
        holder = copy.deepcopy(holder) if isinstance(holder, dict) else {}
        holder.setdefault("Version", "2012-10-17")
    for field_name, item in [*old, *new]:
        holder[field_name] = _without(holder.get(field_name, []), field_name, item.get(KEYED[field_name]))
    for field_name, item in new:
        holder.setdefault(field_name, []).append(item)
    if holder is not out:
        out["Policy"] = holder
    return out


def function_policy(rid: str, items: list[tuple[str, Any]]) -> dict:
    """A function policy made only of the plan's statements (the function had none before)."""
    name, _, qualifier = rid.partition(":") if not rid.startswith(UNKNOWN_PREFIX) else (rid, "", "")
    out: dict[str, Any] = {"FunctionName": name,
                           "Policy": {"Version": "2012-10-17", "Id": "default",
                                      "Statement": [s for f, s in items if f == "Statement"]}}
    if qualifier:
        out["Qualifier"] = qualifier
    return out


def function_policy_id(obj: dict) -> str:
    qualifier = obj.get("Qualifier")
    return f"{obj.get('FunctionName')}:{qualifier}" if qualifier else str(obj.get("FunctionName"))

