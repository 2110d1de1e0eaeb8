"""Helpers for the collector's tests: a moto server on 127.0.0.1 and an estate built with boto3."""
from __future__ import annotations

import io
import json
import logging
import os
import urllib.request
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import boto3
import pytest

SECRET = "s3cr3t-hunter2-do-not-store"
DB_PASSWORD = "db-pa55word-do-not-store"
ACCOUNT = "123456789012"  # moto's account for the access key "testing"

# Never real credentials: the tests run with moto's fake keys and no AWS config files.
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
CLEARED_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_ENDPOINT_URL",
               "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
               "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")


@contextmanager
def fake_aws() -> Iterator[None]:
    """moto's fake keys and no AWS config files: real credentials can never be used."""
    with pytest.MonkeyPatch.context() as mp:
        for name in CLEARED_ENV:
            mp.delenv(name, raising=False)
        for name, value in FAKE_ENV.items():
            mp.setenv(name, value)
        yield


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1, on a free port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def set_auth(endpoint: str, unauthenticated_actions: float) -> None:
    """Turn moto's IAM enforcement on (0) or off (inf) through its control API."""
    req = urllib.request.Request(f"{endpoint}/moto-api/reset-auth",
                                 data=str(unauthenticated_actions).encode(), method="POST",
                                 headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(req, timeout=10).read()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 'ok'\n")
    return buf.getvalue()


@dataclass
class Estate:
    """The ids of what was built, to compare with what was collected."""

    region: str
    vpc_id: str = ""
    public_subnet: str = ""
    private_subnets: list[str] = field(default_factory=list)
    igw_id: str = ""
    nat_id: str = ""
    public_rtb: str = ""
    private_rtb: str = ""
    endpoint_id: str = ""
    ddb_prefix_list: str = ""
    sg_app: str = ""
    sg_db: str = ""
    nacl_id: str = ""
    tgw_id: str = ""
    tgw_attachment: str = ""
    tgw_route_table: str = ""
    functions: dict[str, str] = field(default_factory=dict)  # name -> role of it in the estate
    db_instance: str = ""


def _role_arn(session: boto3.Session, endpoint: str) -> str:
    iam = session.client("iam", endpoint_url=endpoint)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"Service": "lambda.amazonaws.com"}}]}
    try:
        return iam.create_role(RoleName="reach-test-lambda",
                               AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        return iam.get_role(RoleName="reach-test-lambda")["Role"]["Arn"]


def build_estate(session: boto3.Session, endpoint: str, region: str = "us-east-1") -> Estate:
    """A VPC with a public and two private subnets, IGW, NAT, a DynamoDB gateway endpoint, SGs
    that reference each other, a custom NACL, a function inside and one outside, and RDS."""
    ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint)
    e = Estate(region=region)
    e.vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sub = lambda cidr, az: ec2.create_subnet(VpcId=e.vpc_id, CidrBlock=cidr,  # noqa: E731
                                             AvailabilityZone=f"{region}{az}")["Subnet"]["SubnetId"]
    e.public_subnet = sub("10.0.0.0/24", "a")
    e.private_subnets = [sub("10.0.1.0/24", "a"), sub("10.0.2.0/24", "b")]

    e.igw_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=e.igw_id, VpcId=e.vpc_id)
    e.public_rtb = ec2.create_route_table(VpcId=e.vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=e.public_rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=e.igw_id)
    ec2.associate_route_table(RouteTableId=e.public_rtb, SubnetId=e.public_subnet)

    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    e.nat_id = ec2.create_nat_gateway(SubnetId=e.public_subnet, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    e.private_rtb = ec2.create_route_table(VpcId=e.vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=e.private_rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=e.nat_id)
    for subnet in e.private_subnets:
        ec2.associate_route_table(RouteTableId=e.private_rtb, SubnetId=subnet)
    e.endpoint_id = ec2.create_vpc_endpoint(
        VpcId=e.vpc_id, ServiceName=f"com.amazonaws.{region}.dynamodb", VpcEndpointType="Gateway",
        RouteTableIds=[e.private_rtb])["VpcEndpoint"]["VpcEndpointId"]
    e.ddb_prefix_list = next(
        pl["PrefixListId"] for pl in ec2.describe_managed_prefix_lists()["PrefixLists"]
        if pl["PrefixListName"] == f"com.amazonaws.{region}.dynamodb")

    e.sg_app = ec2.create_security_group(VpcId=e.vpc_id, GroupName="app",
                                         Description="the function")["GroupId"]
    e.sg_db = ec2.create_security_group(VpcId=e.vpc_id, GroupName="db",
                                        Description="the database")["GroupId"]
    ec2.revoke_security_group_egress(GroupId=e.sg_app, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_egress(GroupId=e.sg_app, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "PrefixListIds": [{"PrefixListId": e.ddb_prefix_list}]},
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
         "UserIdGroupPairs": [{"GroupId": e.sg_db}]}])
    ec2.authorize_security_group_ingress(GroupId=e.sg_db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
         "UserIdGroupPairs": [{"GroupId": e.sg_app}]}])

    e.nacl_id = ec2.create_network_acl(VpcId=e.vpc_id)["NetworkAcl"]["NetworkAclId"]
    entry = lambda n, egress, proto, lo=None, hi=None, cidr="0.0.0.0/0": ec2.create_network_acl_entry(  # noqa: E731
        NetworkAclId=e.nacl_id, RuleNumber=n, Egress=egress, Protocol=proto, RuleAction="allow",
        CidrBlock=cidr, **({"PortRange": {"From": lo, "To": hi}} if lo else {}))
    entry(100, True, "-1")
    entry(100, False, "6", 1024, 65535)
    entry(110, False, "6", 5432, 5432, "10.0.0.0/16")
    for acl in ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [e.vpc_id]}])["NetworkAcls"]:
        for assoc in acl["Associations"]:
            if assoc["SubnetId"] in e.private_subnets:
                ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"],
                                                    NetworkAclId=e.nacl_id)

    e.tgw_id = ec2.create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]
    e.tgw_attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=e.tgw_id, VpcId=e.vpc_id, SubnetIds=e.private_subnets[:1],
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    e.tgw_route_table = ec2.create_transit_gateway_route_table(
        TransitGatewayId=e.tgw_id)["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=e.tgw_route_table,
                                              TransitGatewayAttachmentId=e.tgw_attachment)
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=e.tgw_route_table,
                                                       TransitGatewayAttachmentId=e.tgw_attachment)
    ec2.create_transit_gateway_route(DestinationCidrBlock="10.50.0.0/16",
                                     TransitGatewayRouteTableId=e.tgw_route_table,
                                     TransitGatewayAttachmentId=e.tgw_attachment)
    ec2.create_route(RouteTableId=e.private_rtb, DestinationCidrBlock="10.50.0.0/16",
                     TransitGatewayId=e.tgw_id)

    lam = session.client("lambda", region_name=region, endpoint_url=endpoint)
    role = _role_arn(session, endpoint)
    common = dict(Runtime="python3.12", Role=role, Handler="index.handler",
                  Code={"ZipFile": _zip()}, Environment={"Variables": {"API_KEY": SECRET}})
    lam.create_function(FunctionName="orders-api", Publish=True, **common,
                        VpcConfig={"SubnetIds": e.private_subnets, "SecurityGroupIds": [e.sg_app]})
    lam.create_function(FunctionName="thumbnailer", **common)
    e.functions = {"orders-api": "in-vpc", "thumbnailer": "no-vpc"}
    build_permissions(session, endpoint, region, role)

    rds = session.client("rds", region_name=region, endpoint_url=endpoint)
    rds.create_db_subnet_group(DBSubnetGroupName="orders-db", DBSubnetGroupDescription="orders",
                               SubnetIds=e.private_subnets)
    e.db_instance = rds.create_db_instance(
        DBInstanceIdentifier="orders-db", Engine="postgres", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="orders_admin", MasterUserPassword=DB_PASSWORD,
        DBSubnetGroupName="orders-db", VpcSecurityGroupIds=[e.sg_db], PubliclyAccessible=False,
        Port=5432)["DBInstance"]["DBInstanceIdentifier"]
    return e


LOGIN_PASSWORD = "l0gin-pa55-do-not-store"
TABLE_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "NoDelete", "Effect": "Deny", "Principal": "*", "Action": "dynamodb:DeleteItem",
    "Resource": "*"}]}
BUCKET_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": ["arn:aws:s3:::reach-photos", "arn:aws:s3:::reach-photos/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}


def build_permissions(session: boto3.Session, endpoint: str, region: str, role: str) -> None:
    """The role's policies, a function policy and URL, a table and a bucket with policies, and
    an IAM user with an access key and a login profile that must never be collected."""
    iam = session.client("iam", endpoint_url=endpoint)
    table_arn = f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/orders"
    iam.put_role_policy(RoleName="reach-test-lambda", PolicyName="orders-table", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Sid": "Orders", "Effect": "Allow",
         "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": table_arn}]}))
    logs = iam.create_policy(PolicyName="reach-logs", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
            "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}))
    iam.attach_role_policy(RoleName="reach-test-lambda", PolicyArn=logs["Policy"]["Arn"])
    iam.create_user(UserName="alice")
    iam.create_access_key(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=LOGIN_PASSWORD)

    lam = session.client("lambda", region_name=region, endpoint_url=endpoint)
    lam.add_permission(FunctionName="orders-api", StatementId="apigw", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com",
                       SourceArn=f"arn:aws:execute-api:{region}:{ACCOUNT}:abc123/*/POST/orders")
    lam.create_function_url_config(FunctionName="thumbnailer", AuthType="NONE")

    ddb = session.client("dynamodb", region_name=region, endpoint_url=endpoint)
    ddb.create_table(TableName="orders", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    ddb.create_table(TableName="audit", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    ddb.put_resource_policy(ResourceArn=table_arn, Policy=json.dumps(TABLE_POLICY))

    s3 = session.client("s3", region_name=region, endpoint_url=endpoint)
    s3.create_bucket(Bucket="reach-photos")
    s3.create_bucket(Bucket="reach-plain")
    s3.put_bucket_policy(Bucket="reach-photos", Policy=json.dumps(BUCKET_POLICY))


def build_small_estate(session: boto3.Session, endpoint: str, region: str) -> Estate:
    """A second region: one VPC and one function outside any VPC."""
    ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint)
    e = Estate(region=region)
    e.vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    lam = session.client("lambda", region_name=region, endpoint_url=endpoint)
    lam.create_function(FunctionName="eu-reporter", Runtime="python3.12",
                        Role=_role_arn(session, endpoint), Handler="index.handler",
                        Code={"ZipFile": _zip()}, Environment={"Variables": {"TOKEN": SECRET}})
    e.functions = {"eu-reporter": "no-vpc"}
    return e
