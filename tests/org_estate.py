"""An organisation in moto for the collector's tests: a network account sharing a subnet, two
application accounts, one account whose role cannot be assumed, one suspended account.

moto keeps one backend per account and signs requests into the account named by the assumed
role's credentials, so each account is built through an assumed role. What moto cannot express
is said where it happens: RAM shares are recorded but EC2 does not show a shared subnet to its
participant, and a transit gateway cannot be attached across accounts (the scenario tests build
those by hand).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import boto3

from reach.collect import IAM_ACTIONS
from reach.collect.calls import ASSUME_ROLE, LIST_ACCOUNTS

from .collect_estate import _zip

REGION = "ap-southeast-2"  # no other test builds here: the accounts' regions hold only this estate
ROLE = "ReachAudit"
AUDITOR = "reach-org-auditor"
MANAGEMENT = "123456789012"  # moto's account for the keys "testing"


@dataclass
class Org:
    """The ids of what was built."""

    network: str = ""
    payments: str = ""
    reports: str = ""
    locked: str = ""
    suspended: str = ""
    keys: dict[str, str] = field(default_factory=dict)  # the auditor's access key
    shared_subnet: str = ""
    network_vpc: str = ""
    nat: str = ""
    endpoint: str = ""
    private_rtb: str = ""
    nacl: str = ""
    payments_sg: str = ""
    reports_vpc: str = ""
    reports_subnet: str = ""
    reports_sg: str = ""
    ledger_sg: str = ""
    peering: str = ""

    @property
    def members(self) -> list[str]:
        return [self.network, self.payments, self.reports, self.locked]


def _session_in(endpoint: str, account: str) -> boto3.Session:
    creds = boto3.client("sts", endpoint_url=endpoint).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
        RoleSessionName="builder")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                         aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"], region_name=REGION)


def _audit_role(session: boto3.Session, endpoint: str) -> None:
    """The role docs/collect.md deploys in each account: the read calls, trusted by the auditor."""
    iam = session.client("iam", endpoint_url=endpoint)
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": f"arn:aws:iam::{MANAGEMENT}:user/{AUDITOR}"}}]}
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    reads = [a for a in IAM_ACTIONS if a not in (ASSUME_ROLE.action, LIST_ACCOUNTS.action)]
    iam.put_role_policy(RoleName=ROLE, PolicyName="reach-collect", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": reads, "Resource": "*"}]}))


def _auditor(endpoint: str, org: Org) -> dict[str, str]:
    """The first hop: an IAM user of the management account that may list the organisation's
    accounts and assume the audit role, except in the locked account. moto does not evaluate a
    cross-account role's trust policy, so the refusal is an explicit Deny here; AWS answers both
    the same way: AccessDenied on sts:AssumeRole."""
    iam = boto3.client("iam", endpoint_url=endpoint)
    iam.create_user(UserName=AUDITOR)
    iam.put_user_policy(UserName=AUDITOR, PolicyName="reach-first-hop", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": [LIST_ACCOUNTS.action, ASSUME_ROLE.action],
             "Resource": "*"},
            {"Effect": "Deny", "Action": ASSUME_ROLE.action,
             "Resource": f"arn:aws:iam::{org.locked}:role/{ROLE}"}]}))
    key = iam.create_access_key(UserName=AUDITOR)["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def build_org(endpoint: str) -> Org:
    org_client = boto3.client("organizations", endpoint_url=endpoint, region_name="us-east-1")
    org_client.create_organization(FeatureSet="ALL")
    org = Org()
    for attr in ("network", "payments", "reports", "locked", "suspended"):
        status = org_client.create_account(AccountName=attr, Email=f"{attr}@example.com")
        setattr(org, attr, status["CreateAccountStatus"]["AccountId"])
    org_client.close_account(AccountId=org.suspended)

    for account in (MANAGEMENT, org.network, org.payments, org.reports):
        _audit_role(_session_in(endpoint, account) if account != MANAGEMENT else boto3.Session(),
                    endpoint)
    org.keys = _auditor(endpoint, org)
    _network(_session_in(endpoint, org.network), endpoint, org)
    _payments(_session_in(endpoint, org.payments), endpoint, org)
    _reports(_session_in(endpoint, org.reports), _session_in(endpoint, org.network), endpoint, org)
    return org


def _network(session: boto3.Session, endpoint: str, org: Org) -> None:
    """The network account: a VPC with a NAT gateway, a DynamoDB gateway endpoint and a custom
    NACL on the private subnet it shares with the payments account through RAM."""
    ec2 = session.client("ec2", endpoint_url=endpoint)
    org.network_vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    public = ec2.create_subnet(VpcId=org.network_vpc, CidrBlock="10.20.0.0/24",
                               AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    org.shared_subnet = ec2.create_subnet(VpcId=org.network_vpc, CidrBlock="10.20.1.0/24",
                                          AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    db_subnet = ec2.create_subnet(VpcId=org.network_vpc, CidrBlock="10.20.2.0/24",
                                  AvailabilityZone=f"{REGION}b")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=org.network_vpc)
    public_rtb = ec2.create_route_table(VpcId=org.network_vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rtb, SubnetId=public)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    org.nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    org.private_rtb = ec2.create_route_table(VpcId=org.network_vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=org.private_rtb, DestinationCidrBlock="0.0.0.0/0",
                     NatGatewayId=org.nat)
    for subnet in (org.shared_subnet, db_subnet):
        ec2.associate_route_table(RouteTableId=org.private_rtb, SubnetId=subnet)
    org.endpoint = ec2.create_vpc_endpoint(
        VpcId=org.network_vpc, ServiceName=f"com.amazonaws.{REGION}.dynamodb",
        VpcEndpointType="Gateway", RouteTableIds=[org.private_rtb])["VpcEndpoint"]["VpcEndpointId"]
    org.nacl = ec2.create_network_acl(VpcId=org.network_vpc)["NetworkAcl"]["NetworkAclId"]
    for egress in (True, False):
        ec2.create_network_acl_entry(NetworkAclId=org.nacl, RuleNumber=100, Egress=egress,
                                     Protocol="-1", RuleAction="allow", CidrBlock="0.0.0.0/0")
    for acl in ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [org.network_vpc]}])["NetworkAcls"]:
        for assoc in acl["Associations"]:
            if assoc["SubnetId"] in (org.shared_subnet, db_subnet):
                ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"],
                                                    NetworkAclId=org.nacl)
    # RAM records the share; moto's EC2 does not then list the subnet to the participant.
    session.client("ram", endpoint_url=endpoint).create_resource_share(
        name="shared-app-subnet", principals=[org.payments],
        resourceArns=[f"arn:aws:ec2:{REGION}:{org.network}:subnet/{org.shared_subnet}"])
    # A database the reports account reaches through a peering connection.
    org.ledger_sg = ec2.create_security_group(VpcId=org.network_vpc, GroupName="ledger",
                                              Description="ledger database")["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=org.ledger_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
         "IpRanges": [{"CidrIp": "10.40.0.0/16"}]}])
    rds = session.client("rds", endpoint_url=endpoint)
    rds.create_db_subnet_group(DBSubnetGroupName="ledger", DBSubnetGroupDescription="ledger",
                               SubnetIds=[org.shared_subnet, db_subnet])
    rds.create_db_instance(DBInstanceIdentifier="ledger", Engine="postgres",
                           DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                           MasterUsername="ledger_admin", MasterUserPassword="not-stored-1",
                           DBSubnetGroupName="ledger", VpcSecurityGroupIds=[org.ledger_sg],
                           PubliclyAccessible=False, Port=5432)


def _function(session: boto3.Session, endpoint: str, name: str, subnet: str, group: str) -> None:
    iam = session.client("iam", endpoint_url=endpoint)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"Service": "lambda.amazonaws.com"}}]}
    role = iam.create_role(RoleName=f"{name}-fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    session.client("lambda", endpoint_url=endpoint).create_function(
        FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
        Code={"ZipFile": _zip()}, VpcConfig={"SubnetIds": [subnet], "SecurityGroupIds": [group]})


def _payments(session: boto3.Session, endpoint: str, org: Org) -> None:
    """An application account: its function in the network account's shared subnet, with its own
    security group, which lives in the network account's VPC."""
    ec2 = session.client("ec2", endpoint_url=endpoint)
    org.payments_sg = ec2.create_security_group(VpcId=org.network_vpc, GroupName="payments",
                                                Description="payments function")["GroupId"]
    # AWS gives a new group an allow-all egress rule; moto does not for a group in another
    # account's VPC, so the rule is added as AWS would have.
    ec2.authorize_security_group_egress(GroupId=org.payments_sg, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    _function(session, endpoint, "payments", org.shared_subnet, org.payments_sg)


def _reports(session: boto3.Session, network: boto3.Session, endpoint: str, org: Org) -> None:
    """The other application account: its own VPC, peered with the network account's."""
    ec2 = session.client("ec2", endpoint_url=endpoint)
    org.reports_vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    org.reports_subnet = ec2.create_subnet(VpcId=org.reports_vpc, CidrBlock="10.40.1.0/24",
                                           AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    org.reports_sg = ec2.create_security_group(VpcId=org.reports_vpc, GroupName="reports",
                                               Description="reports function")["GroupId"]
    org.peering = ec2.create_vpc_peering_connection(
        VpcId=org.reports_vpc, PeerVpcId=org.network_vpc, PeerOwnerId=org.network,
        PeerRegion=REGION)["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    peer = network.client("ec2", endpoint_url=endpoint)
    peer.accept_vpc_peering_connection(VpcPeeringConnectionId=org.peering)
    rtb = ec2.create_route_table(VpcId=org.reports_vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="10.20.0.0/16",
                     VpcPeeringConnectionId=org.peering)
    ec2.associate_route_table(RouteTableId=rtb, SubnetId=org.reports_subnet)
    peer.create_route(RouteTableId=org.private_rtb, DestinationCidrBlock="10.40.0.0/16",
                      VpcPeeringConnectionId=org.peering)
    _function(session, endpoint, "reports", org.reports_subnet, org.reports_sg)
