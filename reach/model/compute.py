"""Lambda functions and RDS databases, in the shapes of ListFunctions and DescribeDB*."""
from __future__ import annotations

from pydantic import Field, model_validator

from .base import AwsModel, OptionalId, State, Tag


class VpcConfig(AwsModel):
    subnet_ids: list[str] = []
    security_group_ids: list[str] = []
    vpc_id: OptionalId = None
    ipv6_allowed_for_dual_stack: bool = False


class LoggingConfig(AwsModel):
    """Where Lambda sends the function's logs; no LogGroup means /aws/lambda/NAME."""

    log_group: str | None = None
    log_format: str | None = None


class Function(AwsModel):
    """A Lambda FunctionConfiguration. `Environment` is never modelled: it may hold secrets."""

    function_name: str
    function_arn: str | None = None
    runtime: str | None = None
    role: str | None = None
    handler: str | None = None
    version: str = "$LATEST"
    state: State | None = None
    state_reason_code: str | None = None
    last_update_status: State | None = None
    package_type: str | None = None
    vpc_config: VpcConfig | None = None
    logging_config: LoggingConfig | None = None

    @model_validator(mode="after")
    def _outside_vpc_when_empty(self) -> "Function":
        # A function outside any VPC may carry VpcConfig with empty lists and VpcId "" (1.1).
        # Empty SubnetIds beside security groups or a VpcId is neither: AWS attaches a function
        # with subnets and groups together, so the snapshot contradicts itself (docs/snapshot.md).
        vc = self.vpc_config
        if vc is not None and not vc.subnet_ids:
            if vc.security_group_ids or vc.vpc_id:
                given = (f"SecurityGroupIds lists {', '.join(vc.security_group_ids[:3])}"
                         if vc.security_group_ids else f"VpcId is {vc.vpc_id}")
                raise ValueError(f"VpcConfig.SubnetIds is empty but VpcConfig.{given}: the "
                                 "function is neither in a VPC nor outside one (rule 1.1)")
            self.__dict__["vpc_config"] = None  # frozen once validated; this is validation
        return self

    @property
    def in_vpc(self) -> bool:
        return self.vpc_config is not None

    @property
    def qualified_name(self) -> str:
        """`name` for $LATEST, `name:version` for a published version (contract §2.2)."""
        return self.function_name if self.version == "$LATEST" else f"{self.function_name}:{self.version}"


class DbEndpoint(AwsModel):
    address: str | None = None
    port: int | None = None
    hosted_zone_id: str | None = None


class VpcSecurityGroupMembership(AwsModel):
    vpc_security_group_id: str
    status: State | None = None


class AvailabilityZoneName(AwsModel):
    name: str | None = None


class DbSubnet(AwsModel):
    subnet_identifier: str
    subnet_availability_zone: AvailabilityZoneName | None = None
    subnet_status: State | None = None


class DbSubnetGroup(AwsModel):
    db_subnet_group_name: str | None = Field(default=None, alias="DBSubnetGroupName")
    vpc_id: str | None = None
    subnet_group_status: State | None = None
    subnets: list[DbSubnet] = []


class DbInstance(AwsModel):
    db_instance_identifier: str = Field(alias="DBInstanceIdentifier")
    db_instance_arn: str | None = Field(default=None, alias="DBInstanceArn")
    db_instance_status: State | None = Field(default=None, alias="DBInstanceStatus")
    db_cluster_identifier: str | None = Field(default=None, alias="DBClusterIdentifier")
    engine: str | None = None
    endpoint: DbEndpoint | None = None
    publicly_accessible: bool = False
    vpc_security_groups: list[VpcSecurityGroupMembership] = []
    db_subnet_group: DbSubnetGroup | None = Field(default=None, alias="DBSubnetGroup")
    availability_zone: str | None = None
    multi_az: bool | None = Field(default=None, alias="MultiAZ")
    dbi_resource_id: str | None = None
    tag_list: list[Tag] = []

    @property
    def identifier(self) -> str:
        return self.db_instance_identifier


class DbClusterMember(AwsModel):
    db_instance_identifier: str = Field(alias="DBInstanceIdentifier")
    is_cluster_writer: bool = False


class DbCluster(AwsModel):
    db_cluster_identifier: str = Field(alias="DBClusterIdentifier")
    db_cluster_arn: str | None = Field(default=None, alias="DBClusterArn")
    status: State | None = None
    engine: str | None = None
    endpoint: str | None = None
    reader_endpoint: str | None = None
    port: int | None = None
    publicly_accessible: bool | None = None
    db_cluster_members: list[DbClusterMember] = Field(default=[], alias="DBClusterMembers")
    vpc_security_groups: list[VpcSecurityGroupMembership] = []
    db_subnet_group: str | None = Field(default=None, alias="DBSubnetGroup")
    availability_zones: list[str] = []
    tag_list: list[Tag] = []

    @property
    def identifier(self) -> str:
        return self.db_cluster_identifier
