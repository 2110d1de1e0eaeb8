"""Check a what-if VpcConfig the way Lambda would before creating it (1.17, 1.18)."""
from __future__ import annotations

from ..errors import ReachInputError, nearest
from .indexes import Estate


def check_placement(estate: Estate, subnet_ids, group_ids) -> str:
    """The VPC of a placement (subnets, security groups); bad input when Lambda would refuse it.

    Lambda takes the VPC from the subnets, which must all be in one VPC, and every security group
    must be in that VPC (1.18). Subnets and groups come together: Lambda refuses one without the
    other ("SubnetIds and SecurityIds must coexist or be both empty list",
    https://github.com/XT-i/aws-lambda-jenkins-plugin/issues/56)."""
    if not subnet_ids:
        raise ReachInputError("a what-if placement needs at least one --subnet")
    for s in subnet_ids:
        if s not in estate.subnets:
            raise ReachInputError(f"unknown subnet {s!r}: it is not in the snapshot"
                                  + nearest(s, estate.subnets))
    vpcs = sorted({estate.subnets[s].vpc_id for s in subnet_ids})
    if len(vpcs) > 1:
        raise ReachInputError(f"the subnets of one function must be in one VPC (1.18), not {vpcs}")
    vpc_id = vpcs[0]
    if not group_ids:
        raise ReachInputError("a what-if placement needs at least one --sg (the security groups of "
                              "its Hyperplane ENIs) beside --subnet")
    for g in group_ids:
        group = estate.groups.get(g)
        if group is None:
            raise ReachInputError(f"unknown security group {g!r}: it is not in the snapshot"
                                  + nearest(g, estate.groups))
        if group.vpc_id and group.vpc_id != vpc_id:
            raise ReachInputError(f"security group {g!r} is in {group.vpc_id}, not in the subnets' "
                                  f"VPC {vpc_id} (1.18)")
    return vpc_id
