"""A large snapshot file validated a batch of resources at a time gives the same model, and the same
exit-2 message for bad input, as one validation of the whole file (reach/model/parts.py)."""
from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from bench.generate import SIZES, generate
from reach.errors import ReachInputError
from reach.model import load as load_module
from reach.model import load_snapshot
from reach.model.parts import validate_in_parts


def same(a, b, where="$"):
    """Equal models down to each one's fields-set, field order and value types."""
    if isinstance(a, BaseModel):
        assert type(a) is type(b), where
        assert a.model_fields_set == b.model_fields_set, where
        assert a.model_extra == b.model_extra, where
        assert list(vars(a)) == list(vars(b)), where
        for k in vars(a):
            same(vars(a)[k], vars(b)[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    else:
        assert type(a) is type(b) and a == b, where


@pytest.fixture(scope="module")
def estate() -> dict:
    raw = generate(SIZES["S"], seed=2)
    raw["Surprise"] = {"kept": [1, 2]}  # an unknown key stays an extra
    return raw


def test_parts_give_the_model_one_validation_gives(estate):
    data = json.dumps(estate).encode()
    same(validate_in_parts(load_module._File, data), load_module._File.model_validate_json(data))


def test_a_list_under_its_python_name_and_a_repeated_key(estate):
    raw = {**estate, "security_groups": estate["SecurityGroups"][:3]}
    del raw["SecurityGroups"]
    data = json.dumps(raw).encode()
    same(validate_in_parts(load_module._File, data), load_module._File.model_validate_json(data))
    # The last of a repeated key wins, in both.
    text = json.dumps(estate)
    doubled = (text[:-1] + ', "Vpcs": ' + json.dumps(estate["Vpcs"][:2]) + "}").encode()
    whole = load_module._File.model_validate_json(doubled)
    assert len(whole.vpcs) == 2
    same(validate_in_parts(load_module._File, doubled), whole)


@pytest.mark.parametrize("spoil", ["cidr", "truncated", "not-a-list"])
def test_bad_input_in_a_large_file_is_reported_as_before(estate, tmp_path, monkeypatch, spoil):
    raw = json.loads(json.dumps(estate))
    if spoil == "cidr":
        raw["SecurityGroups"][150]["IpPermissions"][0]["IpRanges"] = [{"CidrIp": "10.0.0.0/33"}]
    if spoil == "not-a-list":
        raw["Subnets"] = {"SubnetId": "subnet-1"}
    text = json.dumps(raw)
    if spoil == "truncated":
        text = text[: len(text) * 2 // 3]
    path = tmp_path / "big.json"
    path.write_text(text)
    monkeypatch.setattr(load_module, "SPLIT_ABOVE", 1)  # in parts
    with pytest.raises(ReachInputError) as parts:
        load_snapshot(path)
    monkeypatch.setattr(load_module, "SPLIT_ABOVE", 1 << 40)  # whole
    with pytest.raises(ReachInputError) as whole:
        load_snapshot(path)
    assert str(parts.value) == str(whole.value)
    if spoil == "cidr":
        assert "SecurityGroups[150]" in str(parts.value)
