"""Read a CloudFormation template (JSON or YAML with the short-form tags); expand SAM with its translator."""
from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import yaml

from ...errors import ReachInputError

_SCALAR_LIST = {"GetAtt"}


class _Loader(yaml.SafeLoader):
    """YAML with CloudFormation's short forms: `!Ref X` is `{"Ref": X}`, `!Sub s` is `{"Fn::Sub": s}`."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"Ref": value} if suffix == "Ref" else {"Condition": value} if suffix == "Condition" \
        else {f"Fn::{suffix}": value}


_Loader.add_multi_constructor("!", _tag)


def looks_like_template(data: Any) -> bool:
    """A CloudFormation template: Resources whose items carry an `AWS::` Type."""
    resources = data.get("Resources") if isinstance(data, dict) else None
    return isinstance(resources, dict) and bool(resources) and all(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and "::" in r["Type"]
        for r in resources.values())


def parse_template(data: bytes | str | dict, name: str) -> dict:
    """The template as a dict, SAM resources expanded (AWS::Serverless::* via aws-sam-translator)."""
    if not isinstance(data, dict):
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        try:
            data = json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, Loader=_Loader)
        except (ValueError, yaml.YAMLError) as exc:
            raise ReachInputError(f"invalid template ({str(exc).splitlines()[0]})", file=name) from None
    if not looks_like_template(data):
        raise ReachInputError("not a CloudFormation template: no Resources with an AWS:: Type", file=name)
    transforms = data.get("Transform")
    transforms = transforms if isinstance(transforms, list) else [transforms]
    if any(isinstance(t, str) and t.startswith("AWS::Serverless") for t in transforms):
        data = _sam(data, name)
    return data


_LOCAL_URIS = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri",
               "AWS::Serverless::Api": "DefinitionUri", "AWS::Serverless::HttpApi": "DefinitionUri",
               "AWS::Serverless::StateMachine": "DefinitionUri"}


def _packaged(template: dict) -> dict:
    """What `sam package` would hand the translator: local code paths as S3 locations (reach
    never reads the code, only the configuration around it)."""
    template = json.loads(json.dumps(template, default=str))
    for resource in template["Resources"].values():
        key = _LOCAL_URIS.get(resource.get("Type"))
        props = resource.get("Properties") or {}
        if key and isinstance(props.get(key), str) and not props[key].startswith("s3://"):
            if key == "DefinitionUri" and resource["Type"] != "AWS::Serverless::StateMachine":
                del props[key]
            else:
                props[key] = "s3://reach-local-code/" + props[key].strip("./").replace("/", "-") or "code"
    return template


def _sam(template: dict, name: str) -> dict:
    """Expand AWS::Serverless::* with AWS's own translator, offline (no managed-policy lookups)."""
    from samtranslator.metrics.metrics import Metrics
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    # The pseudo parameters only shape the ARNs SAM generates, which reach does not read; without
    # them the translator would ask boto3 for a Region.
    pseudo = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
              "AWS::StackName": "stack", "AWS::StackId": "stack", "AWS::URLSuffix": "amazonaws.com"}
    template = _packaged(template)
    try:
        # A stand-in for a boto3 session: the translator reads only its region_name.
        session = SimpleNamespace(region_name="us-east-1")
        metrics = Metrics()  # its default publisher sends nothing anywhere
        translator = Translator(managed_policy_map={}, sam_parser=Parser(), boto_session=session,
                                metrics=metrics)
        out = translator.translate(template, parameter_values=pseudo, get_managed_policy_map=lambda: {})
        metrics.publish()
        return out
    except InvalidDocumentException as exc:
        causes = "; ".join(str(c) for c in exc.causes)[:300]
        raise ReachInputError(f"the SAM translator refused it: {causes}", file=name) from None
