"""Read `terraform show -json` output (plan or state) into resource instances and their configuration."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ...errors import ReachInputError

# The JSON output format's major versions reach understands; any minor version of them is read
# and unknown keys are ignored (https://developer.hashicorp.com/terraform/internals/json-format).
KNOWN_MAJORS = (0, 1)

_ACTIONS = {("no-op",): "no-op", ("create",): "create", ("read",): "read", ("update",): "update",
            ("delete",): "delete", ("delete", "create"): "replace", ("create", "delete"): "replace",
            ("forget",): "delete"}


@dataclass
class Instance:
    """One resource instance: its address, values (None where unknown) and what the plan does."""

    address: str
    module: str            # "" for the root, else e.g. 'module.a["x"].module.b'
    mode: str              # managed | data
    type: str
    name: str
    index: Any             # None, an int (count) or a str (for_each)
    after: dict | None     # values after apply; None when deleted
    before: dict | None    # values before; None when created
    unknown: Any = None    # after_unknown: the same shape as `after`, True where unknown
    sensitive: Any = None  # after_sensitive / before_sensitive merged: True where sensitive
    action: str = "no-op"

    @property
    def config_address(self) -> str:
        return f"{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"

    def is_unknown(self, *path: Any) -> bool:
        """Whether the value at `path` (keys and list positions) is unknown until apply."""
        node = self.unknown
        for part in path:
            if node is True:
                return True
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return False
        return node is True


@dataclass
class ConfigModule:
    """One module of the configuration: its resources, calls and outputs, addresses relative."""

    resources: dict[str, dict] = field(default_factory=dict)
    calls: dict[str, dict] = field(default_factory=dict)        # call name -> the call's JSON
    modules: dict[str, "ConfigModule"] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)


@dataclass
class Document:
    """A plan or state: every instance after apply (and before), plus the configuration."""

    name: str
    kind: str                               # plan | state
    format_version: str
    terraform_version: str | None
    instances: list[Instance]
    config: ConfigModule
    variables: dict[str, Any]
    region: str | None

    def by_address(self) -> dict[str, Instance]:
        return {i.address: i for i in self.instances}


def looks_like_terraform(data: Any) -> bool:
    """Whether parsed JSON is `terraform show -json` output (plan or state), by its content."""
    return isinstance(data, dict) and "format_version" in data and (
        "terraform_version" in data or "planned_values" in data or "values" in data
        or "resource_changes" in data)


def read_document(data: bytes | str | dict, name: str) -> Document:
    """Parse plan or state JSON; refuse an unknown major format_version with ReachInputError."""
    if not isinstance(data, dict):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ReachInputError(f"invalid JSON ({exc})", file=name) from None
    if not isinstance(data, dict):
        raise ReachInputError("not a Terraform plan or state: expected a JSON object", file=name)
    version = data.get("format_version")
    if not isinstance(version, str) or not re.fullmatch(r"\d+\.\d+(\.\d+)?", version):
        raise ReachInputError(f"not a Terraform plan or state: format_version is {version!r}",
                              file=name, path="format_version")
    if int(version.split(".")[0]) not in KNOWN_MAJORS:
        raise ReachInputError(f"unsupported format_version {version} (reach reads "
                              f"{', '.join(f'{m}.x' for m in KNOWN_MAJORS)})",
                              file=name, path="format_version")
    try:
        return _document(data, name, version)
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise ReachInputError(f"not a well-formed Terraform plan or state ({exc})", file=name) from None


def _document(data: dict, name: str, version: str) -> Document:
    is_plan = any(k in data for k in ("resource_changes", "planned_values", "configuration"))
    instances: list[Instance] = []
    if is_plan:
        prior = _state_instances((data.get("prior_state") or {}).get("values") or {})
        seen = set()
        for rc in data.get("resource_changes") or []:
            inst = _from_change(rc)
            if inst is not None:
                instances.append(inst)
                seen.add(inst.address)
        # Data sources read while planning are in prior_state only (not in resource_changes).
        instances += [i for a, i in prior.items() if a not in seen]
    else:
        instances = list(_state_instances(data.get("values") or {}).values())
    config = _config_module((data.get("configuration") or {}).get("root_module") or {})
    variables = {k: (v or {}).get("value") for k, v in (data.get("variables") or {}).items()}
    return Document(name, "plan" if is_plan else "state", version, data.get("terraform_version"),
                    instances, config, variables, _region(data, instances))


def _from_change(rc: dict) -> Instance | None:
    change = rc.get("change") or {}
    action = _ACTIONS.get(tuple(change.get("actions") or ()), "no-op")
    mode = rc.get("mode", "managed")
    if mode == "data" and action != "read":
        return None
    after = change.get("after") if action != "delete" else None
    before = change.get("before")
    return Instance(rc["address"], rc.get("module_address") or "", mode, rc["type"], rc["name"],
                    rc.get("index"), after if isinstance(after, dict) else None,
                    before if isinstance(before, dict) else None,
                    change.get("after_unknown") or {},
                    _merge_marks(change.get("after_sensitive"), change.get("before_sensitive")),
                    action)


def _merge_marks(a: Any, b: Any) -> Any:
    """Sensitive marks of after and before combined: True wins, shapes are walked together."""
    if a is True or b is True:
        return True
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {}
        return {k: _merge_marks(a.get(k), b.get(k)) for k in {*a, *b}}
    if isinstance(a, list) or isinstance(b, list):
        a, b = a if isinstance(a, list) else [], b if isinstance(b, list) else []
        return [_merge_marks(a[i] if i < len(a) else None, b[i] if i < len(b) else None)
                for i in range(max(len(a), len(b)))]
    return None


def _state_instances(values: dict) -> dict[str, Instance]:
    out: dict[str, Instance] = {}

    def walk(module: dict, prefix: str) -> None:
        for r in module.get("resources") or []:
            address = r["address"]
            if prefix and not address.startswith(prefix + "."):
                address = f"{prefix}.{address}"  # Terraform 0.12 wrote child addresses relative
            values = r.get("values") or {}
            out[address] = Instance(address, _module_part(address), r.get("mode", "managed"),
                                    r["type"], r["name"], r.get("index"), values, values, {},
                                    r.get("sensitive_values") or {}, "no-op")
        for child in module.get("child_modules") or []:
            walk(child, child.get("address") or prefix)
    walk(values.get("root_module") or {}, "")
    return out


_MODULE_STEP = re.compile(r'module\.[A-Za-z0-9_-]+(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.')


def _module_part(address: str) -> str:
    """`module.a["k"].module.b.aws_x.y[0]` -> `module.a["k"].module.b`."""
    pos = 0
    while (m := _MODULE_STEP.match(address, pos)):
        pos = m.end()
    return address[:pos].rstrip(".")


def _config_module(module: dict) -> ConfigModule:
    cm = ConfigModule()
    for r in module.get("resources") or []:
        cm.resources[r["address"]] = r
    for call, body in (module.get("module_calls") or {}).items():
        cm.calls[call] = body
        cm.modules[call] = _config_module(body.get("module") or {})
    cm.outputs = module.get("outputs") or {}
    return cm


def _region(data: dict, instances: list[Instance]) -> str | None:
    """The AWS provider's region, when the configuration states it; else from availability zones."""
    providers = (data.get("configuration") or {}).get("provider_config") or {}
    for key, p in providers.items():
        if (p or {}).get("name", key) == "aws":
            region = (((p.get("expressions") or {}).get("region")) or {}).get("constant_value")
            if isinstance(region, str):
                return region
    for inst in instances:
        for values in (inst.after, inst.before):
            az = (values or {}).get("availability_zone")
            if isinstance(az, str) and re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d[a-z]", az):
                return az[:-1]
            arn = (values or {}).get("arn")
            if isinstance(arn, str) and arn.count(":") >= 5 and arn.split(":")[3]:
                return arn.split(":")[3]
    return None
