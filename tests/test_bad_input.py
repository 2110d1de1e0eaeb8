"""Bad input: exit status 2 and one line naming the file, the JSON path and what is wrong."""
from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from reach.cli import app

CASES = [
    ("truncated", '{"Vpcs": [{"VpcId": "vpc-1"', None, "invalid JSON"),
    ("invalid", '{"Vpcs": [}', None, "invalid JSON"),
    ("empty", "", None, "file is empty"),
    ("list-for-object", '{"Vpcs": [["vpc-1"]]}', "Vpcs[0]", "expected a JSON object, got a list"),
    ("object-for-list", '{"Subnets": {"SubnetId": "s"}}', "Subnets", "expected a JSON list"),
    ("top-level-list", "[]", "$", "expected a JSON object"),
    ("wrong-type", '{"Vpcs": [{"VpcId": 7}]}', "Vpcs[0].VpcId", "expected a string, got a number 7"),
    ("bad-cidr", '{"Subnets": [{"SubnetId": "s", "VpcId": "v", "CidrBlock": "10.0.0.0/33"}]}',
     "Subnets[0].CidrBlock", "'10.0.0.0/33' is not a CIDR"),
    ("bad-cidr-in-rule", '{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": '
     '"tcp", "IpRanges": [{"CidrIp": "300.0.0.0/8"}]}]}]}',
     "SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp", "is not a CIDR"),
    ("number-for-rule", '{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [5]}]}',
     "SecurityGroups[0].IpPermissions[0]", "expected a JSON object, got a number 5"),
    ("not-a-snapshot", '{"Name": "my holiday photos", "Count": 3}', None, "not a reach snapshot"),
]


@pytest.mark.parametrize("name,text,path,message", CASES, ids=[c[0] for c in CASES])
def test_bad_snapshot_file(write_json, name, text, path, message):
    file = write_json(text)
    result = CliRunner().invoke(app, ["show", "--snapshot", str(file)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(file) in lines[0] and message in lines[0]
    if path:
        assert f": {path}: " in lines[0]
    assert "Traceback" not in result.output


def test_missing_file(tmp_path):
    result = CliRunner().invoke(app, ["show", "--snapshot", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"reach: {tmp_path / 'nope.json'}: no such file or directory"


def test_directory_without_snapshot_keys(tmp_path):
    (tmp_path / "Photos.json").write_text('{"Albums": []}')
    result = CliRunner().invoke(app, ["show", "--snapshot", str(tmp_path)])
    assert result.exit_code == 2 and "not a reach snapshot" in result.stderr


def test_bad_file_inside_directory_names_that_file(tmp_path):
    (tmp_path / "Vpcs.json").write_text('{"Vpcs": [{"VpcId": "vpc-1"}]}')
    (tmp_path / "Subnets.json").write_text('{"Subnets": [{"SubnetId": 5}]}')
    result = CliRunner().invoke(app, ["show", "--snapshot", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'Subnets.json'}: Subnets[0].SubnetId:" in result.stderr


def test_real_subprocess_has_no_traceback(write_json):
    file = write_json('{"Vpcs": [{"VpcId": 7}]}')
    proc = subprocess.run([sys.executable, "-m", "reach", "show", "--snapshot", str(file)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stdout == ""
