"""Real questions asked of corpus plans, with verdicts derived by hand from the plan JSON."""
from __future__ import annotations

from reach import can_reach
from reach.model import parse_snapshot
from reach.model.terraform import load_plan, synthetic_id

from .conftest import TF_CORPUS, needs_tf_corpus

pytestmark = needs_tf_corpus


def probe(plan: str, subnet_address: str, vpc_address: str, *, region: str):
    """The plan applied onto a base that holds one function, `probe`, placed in a subnet the plan
    creates, with the default security group of the VPC the plan creates (egress: all, 0.0.0.0/0).
    Its ids are the synthetic ids the plan's addresses give, so the base and plan meet there."""
    base = parse_snapshot({"SnapshotVersion": 1, "AccountId": "111122223333", "Region": region,
                           "Functions": [{"FunctionName": "probe", "VpcConfig": {
                               "SubnetIds": [synthetic_id(subnet_address, "subnet")],
                               "SecurityGroupIds": [synthetic_id(
                                   f"{vpc_address}.default_security_group_id", "sg")]}}]})
    return load_plan(TF_CORPUS / plan, base=base)


def blockers(answer):
    return [(b.code, b.component_id) for p in answer.paths for b in p.blockers]


def test_vpc_module_private_subnet_reaches_the_internet_through_its_nat():
    """tc-vpc-module-nat-routes (terraform-aws-modules/vpc, everything unknown until apply).

    Derivation: module.vpc.aws_subnet.private[0] (10.0.1.0/24) is associated by
    aws_route_table_association.private[0] (refs aws_subnet.private + aws_route_table.private with
    count.index) with aws_route_table.private[0]; aws_route.private_nat_gateway[0] puts
    0.0.0.0/0 there to aws_nat_gateway.this[0] (refs aws_nat_gateway.this + count.index), whose
    subnet is aws_subnet.public[0]; that subnet is associated with aws_route_table.public[0], where
    aws_route.public_internet_gateway[0] sends 0.0.0.0/0 to aws_internet_gateway.this[0]. The
    default NACL and the default SG allow everything outbound. So: reachable, through the NAT."""
    snap = probe("tc-vpc-module-nat-routes.json", "module.vpc.aws_subnet.private[0]",
                 "module.vpc.aws_vpc.this[0]", region="eu-west-1")
    answer = can_reach(snap, "probe", "internet")
    assert answer.verdict.value == "reachable"
    nat = synthetic_id("module.vpc.aws_nat_gateway.this[0]", "nat")
    assert nat in [h.component_id for h in answer.paths[0].hops]
    assert snap.terraform.address_of(nat) == "module.vpc.aws_nat_gateway.this[0]"


def test_vpc_module_public_subnet_is_dropped_at_the_internet_gateway():
    """tc-vpc-module-nat-routes: aws_subnet.public[0] uses aws_route_table.public[0], whose
    0.0.0.0/0 goes straight to aws_internet_gateway.this[0]. A Lambda ENI has no public IP, so
    the IGW drops it (1.22): unreachable, IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS at that IGW."""
    snap = probe("tc-vpc-module-nat-routes.json", "module.vpc.aws_subnet.public[0]",
                 "module.vpc.aws_vpc.this[0]", region="eu-west-1")
    answer = can_reach(snap, "probe", "internet")
    assert answer.verdict.value == "unreachable"
    assert blockers(answer) == [("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
                                 synthetic_id("module.vpc.aws_internet_gateway.this[0]", "igw"))]


def test_unassociated_subnet_falls_back_to_the_main_table_with_only_local_routes():
    """tc-vpc-igw-route-table: aws_subnet.test-subnet-privA has no aws_route_table_association,
    so it uses the VPC's main route table (2.1), which AWS creates holding only the local route
    10.0.0.0/16. The internet is unreachable: NO_ROUTE_TO_DESTINATION at that main table."""
    snap = probe("tc-vpc-igw-route-table.json", "aws_subnet.test-subnet-privA", "aws_vpc.test-vpc",
                 region="eu-west-1")
    answer = can_reach(snap, "probe", "internet")
    assert answer.verdict.value == "unreachable"
    main = synthetic_id("aws_vpc.test-vpc.main_route_table_id", "rtb")
    assert blockers(answer) == [("NO_ROUTE_TO_DESTINATION", main)]


def test_a_route_target_the_plan_leaves_unknown_gives_unknown_naming_it():
    """tc-vpc-igw-route-table: aws_route_table.test-pub-rtb has an inline route 0.0.0.0/0 whose
    gateway_id is unknown until apply, and the configuration shows no expression for `route`,
    so no reference says which gateway it is. The public subnet's internet answer is unknown,
    naming the attribute and the address, never a guess."""
    snap = probe("tc-vpc-igw-route-table.json", "aws_subnet.test-subnet-pubA", "aws_vpc.test-vpc",
                 region="eu-west-1")
    answer = can_reach(snap, "probe", "internet")
    assert answer.verdict.value == "unknown"
    [(code, component)] = blockers(answer)
    assert component.endswith("aws_route_table.test-pub-rtb.route[0].gateway_id")
    assert component in snap.terraform.unknown


def test_a_nacl_whose_rules_are_unknown_makes_the_answer_unknown():
    """tc-vpc-nacl-module: module.vpc_module.aws_network_acl.vpc_subnet_acl is associated with
    both subnets (subnet_ids refs aws_subnet.vpc_subnet), but its ingress and egress are unknown
    until apply (nothing configures them). Within the VPC (172.16.0.0/24, local route) the NACL
    decides, so 172.16.0.10:443 is unknown, naming the NACL's synthetic id and the attribute."""
    snap = probe("tc-vpc-nacl-module.json", "module.vpc_module.aws_subnet.vpc_subnet[0]",
                 "module.vpc_module.aws_vpc.vpc", region="us-east-1")
    acl = synthetic_id("module.vpc_module.aws_network_acl.vpc_subnet_acl", "acl")
    answer = can_reach(snap, "probe", "172.16.0.10:443")
    assert answer.verdict.value == "unknown"
    assert acl in answer.missing
    assert snap.terraform.unknown[acl].startswith("module.vpc_module.aws_network_acl.vpc_subnet_acl.")


def test_lambda_with_an_sg_created_in_the_same_plan():
    """tc-lambda-vpc-unknown-sg: aws_lambda_function.lambda has vpc_config.security_group_ids
    unknown; its configuration references aws_security_group.lambda_sg, created by the plan, so
    the function gets that group's synthetic id. Its subnets come from data.aws_subnet_ids.private
    (ids only, no CIDRs or route tables): standing alone, every path is unknown, naming them."""
    snap = load_plan(TF_CORPUS / "tc-lambda-vpc-unknown-sg.json")
    fn = snap.index["Functions"]["metrics-lambda-primary-lambda"]
    sg = synthetic_id("aws_security_group.lambda_sg", "sg")
    assert fn.vpc_config.security_group_ids == [sg]
    assert snap.terraform.address_of(sg) == "aws_security_group.lambda_sg"
    answer = can_reach(snap, "metrics-lambda-primary-lambda", "internet")
    assert answer.verdict.value == "unknown"
    assert answer.missing == ["subnet-081c9cbe188e2e3c5", "subnet-08a678ede68202ff3",
                              "subnet-0bd9b444e36f39c73"]


def test_module_output_wiring_across_nested_modules():
    """snyk-nested-modules-vpc-sg: module.child2's security group takes vpc_id from
    var.child_vpc_id, which module_calls.child2 sets from module.child1.grandchild_vpc, an
    output of module.child1 that references module.grandchild1's VPC."""
    snap = load_plan(TF_CORPUS / "snyk-nested-modules-vpc-sg.json")
    groups = {snap.terraform.address_of(g.group_id): g for g in snap.regions[0].security_groups}
    child2 = groups["module.child2.aws_security_group.child"]
    assert snap.terraform.address_of(child2.vpc_id) == "module.child1.module.grandchild1.aws_vpc.grandchild"
