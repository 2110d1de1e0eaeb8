"""Resolve CloudFormation intrinsic functions as far as the template alone allows; the rest is unknown."""
from __future__ import annotations

import re
from typing import Any

from ..terraform.world import UNKNOWN, synthetic_id, unknown_value

# The AWS id prefix of each resource type's physical id (Ref returns it).
PREFIX = {"AWS::EC2::VPC": "vpc", "AWS::EC2::Subnet": "subnet", "AWS::EC2::RouteTable": "rtb",
          "AWS::EC2::InternetGateway": "igw", "AWS::EC2::EgressOnlyInternetGateway": "eigw",
          "AWS::EC2::NatGateway": "nat", "AWS::EC2::EIP": "eipalloc", "AWS::EC2::VPCEndpoint": "vpce",
          "AWS::EC2::SecurityGroup": "sg", "AWS::EC2::NetworkAcl": "acl",
          "AWS::EC2::VPCPeeringConnection": "pcx", "AWS::EC2::TransitGateway": "tgw",
          "AWS::EC2::PrefixList": "pl", "AWS::Lambda::Function": "function",
          "AWS::RDS::DBInstance": "db", "AWS::RDS::DBCluster": "cluster",
          "AWS::RDS::DBSubnetGroup": "subnet-group"}
# Fn::GetAtt attributes that are the resource's id, and those that name an object AWS creates with it.
_ID_ATTRS = {"GroupId", "SubnetId", "VpcId", "AllocationId", "Id", "RouteTableId", "NetworkAclId",
             "InternetGatewayId", "NatGatewayId", "VpcEndpointId", "PrefixListId", "DBSubnetGroupName"}
DERIVED = {"DefaultSecurityGroup": "sg", "DefaultNetworkAcl": "acl"}
_SUB = re.compile(r"\$\{([^}!][^}]*)\}")


class Resolver:
    """A template's resources and parameters, and what each intrinsic function gives."""

    def __init__(self, template: dict) -> None:
        self.resources: dict[str, dict] = template["Resources"]
        self.parameters: dict[str, dict] = template.get("Parameters") or {}
        self.addresses: dict[str, str] = {}
        self.unknowns: dict[str, str] = {}

    def id_of(self, logical: str) -> str:
        """A resource's physical id: known only after deploy, so a synthetic one from its name."""
        rtype = (self.resources.get(logical) or {}).get("Type", "")
        sid = synthetic_id(logical, PREFIX.get(rtype, rtype.rsplit("::", 1)[-1].lower()))
        self.addresses[sid] = logical
        return sid

    def derived(self, logical: str, attr: str, prefix: str) -> str:
        sid = synthetic_id(f"{logical}.{attr}", prefix)
        self.addresses[sid] = f"{logical}.{attr}"
        return sid

    def value(self, node: Any) -> Any:
        """The value of a property, or UNKNOWN (Fn::ImportValue, conditions, pseudo parameters)."""
        if isinstance(node, list):
            items = [self.value(v) for v in node]
            return UNKNOWN if any(v is UNKNOWN for v in items) else items
        if not isinstance(node, dict) or len(node) != 1:
            if isinstance(node, dict):
                return {k: self.value(v) for k, v in node.items()}
            return node
        (key, arg), = node.items()
        if key == "Ref":
            return self._ref(arg)
        if key == "Fn::GetAtt":
            return self._get_att(arg)
        if key == "Fn::Sub":
            return self._sub(arg)
        if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            parts = self.value(arg[1])
            if parts is UNKNOWN or not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
                return UNKNOWN
            return str(arg[0]).join(parts)
        if key == "Fn::Select" and isinstance(arg, list) and len(arg) == 2:
            index, items = self.value(arg[0]), self.value(arg[1])
            try:
                return items[int(index)] if isinstance(items, list) else UNKNOWN
            except (ValueError, TypeError, IndexError):
                return UNKNOWN
        if key.startswith("Fn::") or key == "Condition":
            return UNKNOWN  # ImportValue, If, GetAZs, Cidr, FindInMap, Split, ...: not in the template
        return {key: self.value(arg)}

    def _ref(self, name: Any) -> Any:
        if name == "AWS::NoValue":
            return None
        if name in self.resources:
            return self.id_of(name)
        default = (self.parameters.get(name) or {}).get("Default") if isinstance(name, str) else None
        return default if default is not None else UNKNOWN

    def _get_att(self, arg: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2 and arg[0] in self.resources):
            return UNKNOWN
        logical, attr = arg
        if attr in DERIVED:
            return self.derived(logical, attr, DERIVED[attr])
        if attr in _ID_ATTRS:
            return self.id_of(logical)
        own = ((self.resources[logical].get("Properties") or {}).get(attr))
        return self.value(own) if own is not None else UNKNOWN

    def _sub(self, arg: Any) -> Any:
        text, names = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1]) if isinstance(arg, list) \
            and len(arg) == 2 else (None, {})
        if not isinstance(text, str):
            return UNKNOWN
        values: dict[str, Any] = {}
        for name in _SUB.findall(text):
            if name in names:
                values[name] = self.value(names[name])
            elif "." in name:
                values[name] = self._get_att(name.split(".", 1))
            else:
                values[name] = self._ref(name)
        if any(not isinstance(v, (str, int)) for v in values.values()):
            return UNKNOWN
        return _SUB.sub(lambda m: str(values[m.group(1)]), text)

    def ref(self, logical: str, prop: str, node: Any) -> str | None:
        """An id-valued property: its value, or a placeholder naming the resource and property."""
        value = self.value(node)
        if value is UNKNOWN:
            text = unknown_value(logical, prop)
            self.unknowns[text] = f"{logical}.{prop}"
            return text
        return value if isinstance(value, str) and value else None

    def refs(self, logical: str, prop: str, node: Any) -> list[str]:
        """A list of ids; an element that stays unknown becomes a placeholder."""
        if node is None:
            return []
        if isinstance(node, list):
            return [got for i, item in enumerate(node) if (got := self.ref(logical, f"{prop}[{i}]", item))]
        value = self.value(node)
        if isinstance(value, list):
            return [v for v in value if isinstance(v, str) and v]
        got = self.ref(logical, prop, node)
        return [got] if got else []
