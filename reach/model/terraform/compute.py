"""Terraform Lambda functions and RDS databases -> ListFunctions and DescribeDBInstances/Clusters shapes."""
from __future__ import annotations

from typing import Any

from ..iam import partition
from .document import Instance
from .network import known, tags
from .world import UNKNOWN, World


def function_name(w: World, inst: Instance) -> str:
    """An aws_lambda_function's name (its Terraform id), else a stable one from its address."""
    return known(w.get(inst, "function_name")) or w.id_of(inst)


def function_arn(w: World, inst: Instance) -> str | None:
    """Known, else `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME` when the plan or base
    tells the account and Region; else None."""
    arn = known(w.get(inst, "arn"))
    if isinstance(arn, str):
        return arn
    if not (w.account and w.doc.region):
        return None
    return f"arn:{partition(w.doc.region)}:lambda:{w.doc.region}:{w.account}:function:{function_name(w, inst)}"


def function(w: World, inst: Instance) -> None:
    """A function's configuration; its environment is never read (it may hold secrets)."""
    name = function_name(w, inst)
    obj: dict[str, Any] = {"FunctionName": name, "FunctionArn": function_arn(w, inst),
                           "Runtime": known(w.get(inst, "runtime")), "Role": w.ref(inst, "role"),
                           "Handler": known(w.get(inst, "handler")), "Version": "$LATEST",
                           "State": "Active", "PackageType": known(w.get(inst, "package_type"))}
    vc = w.get(inst, "vpc_config")
    if vc is UNKNOWN:
        obj["VpcConfig"] = {"SubnetIds": [w.placeholder(inst, ("vpc_config",))],
                            "SecurityGroupIds": [w.placeholder(inst, ("vpc_config",))]}
    elif isinstance(vc, list) and vc and isinstance(vc[0], dict):
        config = {"SubnetIds": w.refs(inst, "vpc_config", 0, "subnet_ids"),
                  "SecurityGroupIds": w.refs(inst, "vpc_config", 0, "security_group_ids"),
                  "Ipv6AllowedForDualStack": bool(known(w.get(inst, "vpc_config", 0,
                                                                "ipv6_allowed_for_dual_stack")))}
        vpc_id = w.get(inst, "vpc_config", 0, "vpc_id")
        if isinstance(vpc_id, str) and vpc_id:
            config["VpcId"] = vpc_id
        obj["VpcConfig"] = config
    w.put("Functions", name, {k: v for k, v in obj.items() if v is not None}, inst)


def db_subnet_group(w: World, inst: Instance) -> None:
    name = known(w.get(inst, "name")) or w.id_of(inst)
    w.db_subnet_groups[name] = {"DBSubnetGroupName": name, "SubnetGroupStatus": "Complete",
                                "Subnets": [{"SubnetIdentifier": s, "SubnetStatus": "Active"}
                                            for s in w.refs(inst, "subnet_ids")]}
    w.origin[name].add(inst.address)


def _subnet_group(w: World, inst: Instance, arg: str = "db_subnet_group_name") -> dict | None:
    value = w.get(inst, arg)
    if value is None or value == "":
        return None
    name = w.ref(inst, arg)
    return w.db_subnet_groups.get(name) or {"DBSubnetGroupName": name}


def _groups(w: World, inst: Instance) -> list[dict]:
    return [{"VpcSecurityGroupId": g, "Status": "active"} for g in w.refs(inst, "vpc_security_group_ids")]


def db_instance(w: World, inst: Instance) -> None:
    ident = known(w.get(inst, "identifier")) or w.synthetic(inst.address, "db")
    obj: dict[str, Any] = {"DBInstanceIdentifier": ident, "DBInstanceArn": known(w.get(inst, "arn")),
                           "DBInstanceStatus": "available", "Engine": known(w.get(inst, "engine")),
                           "PubliclyAccessible": bool(known(w.get(inst, "publicly_accessible"))),
                           "AvailabilityZone": known(w.get(inst, "availability_zone")),
                           "MultiAZ": known(w.get(inst, "multi_az")), "TagList": tags(w, inst)}
    endpoint = {"Address": known(w.get(inst, "address")), "Port": known(w.get(inst, "port"))}
    if any(endpoint.values()):
        obj["Endpoint"] = {k: v for k, v in endpoint.items() if v is not None}
    if inst.type == "aws_rds_cluster_instance":
        cluster = w.ref(inst, "cluster_identifier")
        obj["DBClusterIdentifier"] = cluster
        w.cluster_members.setdefault(cluster, []).append(
            {"DBInstanceIdentifier": ident, "IsClusterWriter": bool(known(w.get(inst, "writer")))})
        w.cluster_instances.append((ident, cluster))
    else:
        obj["VpcSecurityGroups"] = _groups(w, inst)
    group = _subnet_group(w, inst)
    if group:
        obj["DBSubnetGroup"] = group
    w.put("DBInstances", ident, {k: v for k, v in obj.items() if v is not None}, inst)


def rds_cluster(w: World, inst: Instance) -> None:
    ident = known(w.get(inst, "cluster_identifier")) or w.synthetic(inst.address, "cluster")
    group = _subnet_group(w, inst)
    obj: dict[str, Any] = {"DBClusterIdentifier": ident, "DBClusterArn": known(w.get(inst, "arn")),
                           "Status": "available", "Engine": known(w.get(inst, "engine")),
                           "Endpoint": known(w.get(inst, "endpoint")),
                           "ReaderEndpoint": known(w.get(inst, "reader_endpoint")),
                           "Port": known(w.get(inst, "port")), "VpcSecurityGroups": _groups(w, inst),
                           "DBSubnetGroup": group["DBSubnetGroupName"] if group else None,
                           "AvailabilityZones": [z for z in w.get(inst, "availability_zones") or []
                                                 if isinstance(z, str)]
                           if isinstance(w.get(inst, "availability_zones"), list) else [],
                           "TagList": tags(w, inst)}
    w.put("DBClusters", ident, {k: v for k, v in obj.items() if v is not None}, inst)


def finish_clusters(w: World) -> None:
    """Cluster members, and each member's groups and subnet group from its cluster."""
    for cluster_id, members in w.cluster_members.items():
        cluster = w.objects["DBClusters"].get(cluster_id)
        if cluster is not None:
            cluster["DBClusterMembers"] = members
    for ident, cluster_id in w.cluster_instances:
        db = w.objects["DBInstances"].get(ident)
        cluster = w.objects["DBClusters"].get(cluster_id)
        if db is None or cluster is None:
            continue
        db.setdefault("VpcSecurityGroups", cluster.get("VpcSecurityGroups", []))
        if "DBSubnetGroup" not in db and cluster.get("DBSubnetGroup"):
            name = cluster["DBSubnetGroup"]
            db["DBSubnetGroup"] = w.db_subnet_groups.get(name) or {"DBSubnetGroupName": name}
        if "Engine" not in db and cluster.get("Engine"):
            db["Engine"] = cluster["Engine"]
