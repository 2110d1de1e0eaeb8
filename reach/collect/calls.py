"""The read-only API calls the collector makes, and the IAM actions they need (the only list)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name

# The least-privilege policy of `reach collect`: every action it may call, and nothing else.
# docs/collect.md shows this list as an IAM policy; tests check both against the calls made.
IAM_ACTIONS: tuple[str, ...] = (
    "ec2:DescribeEgressOnlyInternetGateways",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeManagedPrefixLists",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribePrefixLists",
    "ec2:DescribeRegions",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeTransitGatewayAttachments",
    "ec2:DescribeTransitGatewayRouteTables",
    "ec2:DescribeTransitGatewayVpcAttachments",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeVpcs",
    "ec2:GetManagedPrefixListEntries",
    "ec2:GetTransitGatewayRouteTableAssociations",
    "ec2:GetTransitGatewayRouteTablePropagations",
    "ec2:SearchTransitGatewayRoutes",
    "dynamodb:GetResourcePolicy",
    "dynamodb:ListTables",
    "iam:GetAccountAuthorizationDetails",
    "lambda:GetFunctionUrlConfig",
    "lambda:GetPolicy",
    "lambda:ListFunctions",
    "organizations:ListAccounts",
    "rds:DescribeDBClusters",
    "rds:DescribeDBInstances",
    "s3:GetBucketPolicy",
    "s3:ListAllMyBuckets",
    "sts:AssumeRole",
    "sts:GetCallerIdentity",
)


@dataclass(frozen=True)
class Call:
    """One paged, read-only API operation and the key of its response that holds the items."""

    service: str  # the boto3 client name, also the IAM prefix: ec2, lambda, rds, sts, organizations
    operation: str  # the API name, as IAM and the Gaps of a snapshot spell it
    key: str  # the response key holding the items
    params: dict[str, Any] = field(default_factory=dict)
    iam_action: str | None = None  # when IAM names it otherwise (s3 ListBuckets)

    @property
    def method(self) -> str:
        return xform_name(self.operation)

    @property
    def action(self) -> str:
        return self.iam_action or f"{self.service}:{self.operation}"


def _ec2(operation: str, key: str, **params: Any) -> Call:
    return Call("ec2", operation, key, params)


# Snapshot key (contract §1.1) -> the call whose items it holds, in the contract's order.
RESOURCE_CALLS: dict[str, Call] = {
    "Vpcs": _ec2("DescribeVpcs", "Vpcs"),
    "Subnets": _ec2("DescribeSubnets", "Subnets"),
    "RouteTables": _ec2("DescribeRouteTables", "RouteTables"),
    "InternetGateways": _ec2("DescribeInternetGateways", "InternetGateways"),
    "EgressOnlyInternetGateways": _ec2("DescribeEgressOnlyInternetGateways",
                                       "EgressOnlyInternetGateways"),
    "NatGateways": _ec2("DescribeNatGateways", "NatGateways"),
    "VpcEndpoints": _ec2("DescribeVpcEndpoints", "VpcEndpoints"),
    "SecurityGroups": _ec2("DescribeSecurityGroups", "SecurityGroups"),
    "NetworkAcls": _ec2("DescribeNetworkAcls", "NetworkAcls"),
    "ManagedPrefixLists": _ec2("DescribeManagedPrefixLists", "PrefixLists"),
    "PrefixLists": _ec2("DescribePrefixLists", "PrefixLists"),
    "NetworkInterfaces": _ec2("DescribeNetworkInterfaces", "NetworkInterfaces"),
    "VpcPeeringConnections": _ec2("DescribeVpcPeeringConnections", "VpcPeeringConnections"),
    "TransitGateways": _ec2("DescribeTransitGateways", "TransitGateways"),
    "TransitGatewayAttachments": _ec2("DescribeTransitGatewayAttachments",
                                      "TransitGatewayAttachments"),
    "TransitGatewayRouteTables": _ec2("DescribeTransitGatewayRouteTables",
                                      "TransitGatewayRouteTables"),
    # Every version, not only $LATEST: `reach can fn:3` asks about a published one (contract §2.1).
    "Functions": Call("lambda", "ListFunctions", "Functions", {"FunctionVersion": "ALL"}),
    "DBInstances": Call("rds", "DescribeDBInstances", "DBInstances"),
    "DBClusters": Call("rds", "DescribeDBClusters", "DBClusters"),
}

# Extra first-round calls folded into the items above: SubnetIds and Options of VPC attachments.
VPC_ATTACHMENTS = _ec2("DescribeTransitGatewayVpcAttachments", "TransitGatewayVpcAttachments")

# Second-round calls, one per prefix list or TGW route table found in the first round.
PREFIX_LIST_ENTRIES = _ec2("GetManagedPrefixListEntries", "Entries")
TGW_ROUTES = _ec2("SearchTransitGatewayRoutes", "Routes",
                  Filters=[{"Name": "state", "Values": ["active", "blackhole"]}])
TGW_ASSOCIATIONS = _ec2("GetTransitGatewayRouteTableAssociations", "Associations")
TGW_PROPAGATIONS = _ec2("GetTransitGatewayRouteTablePropagations",
                        "TransitGatewayRouteTablePropagations")

# Account-level calls.
CALLER_IDENTITY = Call("sts", "GetCallerIdentity", "Account")
REGIONS = _ec2("DescribeRegions", "Regions")

# Permission calls (reach/collect/permissions.py): policies only, never credentials.
ACCOUNT_AUTHORIZATION = Call("iam", "GetAccountAuthorizationDetails", "RoleDetailList",
                             {"Filter": ["Role", "LocalManagedPolicy", "AWSManagedPolicy"]})
FUNCTION_POLICY = Call("lambda", "GetPolicy", "Policy")
FUNCTION_URL = Call("lambda", "GetFunctionUrlConfig", "FunctionUrl")
LIST_TABLES = Call("dynamodb", "ListTables", "TableNames")
TABLE_POLICY = Call("dynamodb", "GetResourcePolicy", "Policy")
LIST_BUCKETS = Call("s3", "ListBuckets", "Buckets", iam_action="s3:ListAllMyBuckets")
BUCKET_POLICY = Call("s3", "GetBucketPolicy", "Policy")
PERMISSION_CALLS = (ACCOUNT_AUTHORIZATION, FUNCTION_POLICY, FUNCTION_URL, LIST_TABLES, TABLE_POLICY,
                    LIST_BUCKETS, BUCKET_POLICY)

# Organisation calls (`--accounts`, `--org`), made with the first hop's credentials only.
ASSUME_ROLE = Call("sts", "AssumeRole", "Credentials")
LIST_ACCOUNTS = Call("organizations", "ListAccounts", "Accounts")

ALL_CALLS: tuple[Call, ...] = (*RESOURCE_CALLS.values(), VPC_ATTACHMENTS, PREFIX_LIST_ENTRIES,
                               TGW_ROUTES, TGW_ASSOCIATIONS, TGW_PROPAGATIONS, CALLER_IDENTITY,
                               REGIONS, *PERMISSION_CALLS, ASSUME_ROLE, LIST_ACCOUNTS)


def least_privilege_policy() -> dict[str, Any]:
    """The IAM policy `reach collect` needs: IAM_ACTIONS, allowed on every resource, nothing else."""
    return {"Version": "2012-10-17",
            "Statement": [{"Sid": "ReachCollectReadOnly", "Effect": "Allow",
                           "Action": list(IAM_ACTIONS), "Resource": "*"}]}


def iam_action(service: str, operation: str) -> str:
    """The IAM action an API operation needs: `service:Operation`, but s3 ListBuckets is
    s3:ListAllMyBuckets."""
    return next((c.action for c in ALL_CALLS if (c.service, c.operation) == (service, operation)),
                f"{service}:{operation}")
