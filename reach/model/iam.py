"""IAM shapes: GetAccountAuthorizationDetails, resource policies, SCPs/RCPs and policy documents."""
from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from pydantic import BeforeValidator, model_validator

from .base import AwsModel


def decode_document(value: Any) -> Any:
    """A policy document as AWS hands it out: an object, a JSON string, or URL-encoded JSON (IAM)."""
    if not isinstance(value, str):
        return value
    for text in (value, unquote(value)):
        try:
            return json.loads(text)
        except ValueError:
            continue
    raise ValueError("is not a JSON policy document")


def partition(region: str | None) -> str:
    """The ARN partition of a Region (`aws`, `aws-cn`, `aws-us-gov`)."""
    if (region or "").startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if (region or "").startswith("us-gov-") else "aws"


def _strings(value: Any) -> Any:
    """`"x"` and `["x"]` mean the same in a policy (IAM JSON reference, Action/Resource)."""
    return [value] if isinstance(value, str) else value


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _condition(value: Any) -> Any:
    """Normalise `{operator: {key: value-or-list}}` so every value is a list of strings."""
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for op, block in value.items():
        if not isinstance(block, dict):
            raise ValueError(f"condition {op!r} must map keys to values")
        out[op] = {key: [_value_text(v) for v in (vals if isinstance(vals, list) else [vals])]
                   for key, vals in block.items()}
    return out


def _principal(value: Any) -> Any:
    """`"*"` is everyone; `{"AWS": "arn"}` becomes `{"AWS": ["arn"]}`."""
    if value == "*":
        return {"*": ["*"]}
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    return value


Strings = Annotated[list[str], BeforeValidator(_strings)]
PrincipalMap = Annotated[dict[str, list[str]], BeforeValidator(_principal)]


class Statement(AwsModel):
    """One policy statement; exactly one of Action/NotAction (IAM JSON policy elements reference)."""

    sid: str | None = None
    effect: Literal["Allow", "Deny"]
    action: Strings | None = None
    not_action: Strings | None = None
    resource: Strings | None = None
    not_resource: Strings | None = None
    principal: PrincipalMap | None = None
    not_principal: PrincipalMap | None = None
    condition: Annotated[dict[str, dict[str, list[str]]], BeforeValidator(_condition)] = {}

    @model_validator(mode="after")
    def _one_action_element(self) -> "Statement":
        if (self.action is None) == (self.not_action is None):
            raise ValueError("a statement needs exactly one of Action and NotAction")
        if self.resource is not None and self.not_resource is not None:
            raise ValueError("a statement cannot have both Resource and NotResource")
        return self


class PolicyDocument(AwsModel):
    """A policy document; a single statement object is read as a list of one."""

    version: str | None = None
    id: str | None = None
    statement: Annotated[list[Statement], BeforeValidator(lambda v: [v] if isinstance(v, dict) else v)]


Document = Annotated[PolicyDocument, BeforeValidator(decode_document)]
"""A policy document given as an object, a JSON string or URL-encoded JSON."""


def parse_policy(text: str | dict) -> PolicyDocument:
    """Parse a policy document (such as a VPC endpoint's `PolicyDocument`); ValueError if invalid."""
    return PolicyDocument.model_validate(decode_document(text))


class InlinePolicy(AwsModel):
    """A role's inline policy; without a document (a Terraform value known only after apply) it
    is judged unknown."""

    policy_name: str
    policy_document: Document | None = None


class AttachedPolicy(AwsModel):
    policy_arn: str
    policy_name: str | None = None


class PermissionsBoundary(AwsModel):
    permissions_boundary_arn: str
    permissions_boundary_type: str | None = None


class RoleDetail(AwsModel):
    """A RoleDetailList item of GetAccountAuthorizationDetails; the trust policy is kept raw."""

    role_name: str
    arn: str
    path: str = "/"
    role_id: str | None = None
    role_policy_list: list[InlinePolicy] = []
    attached_managed_policies: list[AttachedPolicy] = []
    permissions_boundary: PermissionsBoundary | None = None


class PolicyVersion(AwsModel):
    version_id: str | None = None
    is_default_version: bool = False
    document: Document | None = None


class ManagedPolicy(AwsModel):
    """A Policies item of GetAccountAuthorizationDetails, with its PolicyVersionList."""

    arn: str
    policy_name: str | None = None
    default_version_id: str | None = None
    policy_version_list: list[PolicyVersion] = []

    @property
    def document(self) -> PolicyDocument | None:
        """The default version's document: the one AWS enforces."""
        for version in self.policy_version_list:
            if version.is_default_version or version.version_id == self.default_version_id:
                return version.document
        return None


class FunctionPolicy(AwsModel):
    """Lambda GetPolicy for one function (and qualifier): who may invoke it."""

    function_name: str
    qualifier: str | None = None
    policy: Document
    revision_id: str | None = None


class ResourcePolicy(AwsModel):
    """DynamoDB GetResourcePolicy for one table (or stream)."""

    resource_arn: str
    policy: Document
    revision_id: str | None = None


class BucketPolicy(AwsModel):
    """S3 GetBucketPolicy for one bucket."""

    bucket: str
    policy: Document


class FunctionUrlConfig(AwsModel):
    """A ListFunctionUrlConfigs item: `AuthType` NONE means anyone on the internet may call it."""

    function_arn: str
    function_url: str | None = None
    auth_type: str | None = None


class Bucket(AwsModel):
    """A ListBuckets item: a bucket of the account (S3 bucket names are global)."""

    name: str
    bucket_region: str | None = None


class OrgPolicySummary(AwsModel):
    id: str | None = None
    arn: str | None = None
    name: str | None = None


class OrgPolicy(AwsModel):
    """Organizations DescribePolicy's `Policy`: the summary and the `Content` document."""

    policy_summary: OrgPolicySummary = OrgPolicySummary()
    content: Document


class OrgPolicyLevel(AwsModel):
    """The SCPs or RCPs attached at one level (root, OU, account) above the account (docs/snapshot.md)."""

    target_id: str
    target_type: str | None = None
    policies: list[OrgPolicy] = []


# Snapshot key -> attribute of RegionSnapshot (contract §1.1, "Permissions"; docs/snapshot.md).
IAM_KEYS: dict[str, str] = {
    "RoleDetailList": "role_detail_list",
    "Policies": "policies",
    "FunctionPolicies": "function_policies",
    "ResourcePolicies": "resource_policies",
    "BucketPolicies": "bucket_policies",
    "FunctionUrlConfigs": "function_url_configs",
    "Buckets": "buckets",
    "ServiceControlPolicies": "service_control_policies",
    "ResourceControlPolicies": "resource_control_policies",
}
# Keys whose absence means "not judged" rather than "none": SCPs and RCPs.
ORG_KEYS = ("service_control_policies", "resource_control_policies")
