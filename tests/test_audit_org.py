"""`reach audit` and `reach enis` on a snapshot of several accounts (samples/shared-vpc)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from reach import audit, load_snapshot
from reach.cli import app

from .conftest import SAMPLES

runner = CliRunner()
ORG = str(SAMPLES / "shared-vpc" / "snapshot.json")
NETWORK, PAYMENTS, REPORTS = "111111111111", "222222222222", "333333333333"


def _run(*args: str):
    return runner.invoke(app, [*args, "--snapshot", ORG])


def test_results_are_grouped_by_account_with_a_summary():
    result = _run("audit", "-f", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    accounts = [r["source"]["account_id"] for r in out["results"]]
    assert accounts == sorted(accounts) and set(accounts) == {PAYMENTS, REPORTS}
    summary = {a["account_id"]: a for a in out["accounts"]}
    assert summary[PAYMENTS]["functions"] == 1 and summary[PAYMENTS]["counts"]["reachable"] == 4
    assert summary[REPORTS]["counts"]["unreachable"] == 3
    assert json.loads(json.dumps(audit(load_snapshot(ORG)).to_dict())) == out  # one shape


def test_text_and_markdown_have_a_section_per_account():
    text = _run("audit").stdout
    assert text.index(f"account {PAYMENTS}") < text.index("payments ") < text.index(
        f"account {REPORTS}") < text.index("reports ")
    md = _run("audit", "-f", "markdown").stdout
    assert md.index(f"### Account {PAYMENTS}") < md.index("`payments`") < md.index(
        f"### Account {REPORTS}") < md.index("`reports`")


def test_sarif_results_name_their_account(tmp_path):
    intent = tmp_path / "intent.yaml"
    intent.write_text("rules:\n  - {function: '*', target: internet, expect: reachable}\n")
    result = _run("audit", "-f", "sarif", "--expect", str(intent))
    assert result.exit_code == 1
    (run,) = json.loads(result.stdout)["runs"]
    assert [r["properties"]["account_id"] for r in run["results"]] == [REPORTS]
    assert run["results"][0]["properties"]["function"] == "reports"


def test_account_filter():
    result = _run("audit", "-f", "json", "--account", REPORTS)
    assert result.exit_code == 0
    assert {r["source"]["function"] for r in json.loads(result.stdout)["results"]} == {"reports"}
    # The network account holds no function: nothing to audit, not an error.
    assert json.loads(_run("audit", "-f", "json", "--account", NETWORK).stdout)["results"] == []


def test_unknown_account_is_exit_2_with_the_nearest():
    result = _run("audit", "--account", "22222222222")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("reach: --account '22222222222' is not an account of the "
                                     f"snapshot (nearest: {PAYMENTS})")


def test_one_account_keeps_the_contract_shape():
    out = json.loads(runner.invoke(app, ["audit", "-f", "json", "--snapshot",
                                         str(SAMPLES / "categram" / "snapshot.json")]).stdout)
    assert set(out) == {"results"} and "account_id" not in out["results"][0]["source"]


def test_enis_name_the_owning_account_and_the_subnet_owner():
    out = json.loads(_run("enis", "-f", "json").stdout)
    rows = {r["subnet_id"]: r for r in out["enis"]}
    assert (rows["sn-priv"]["account_ids"], rows["sn-priv"]["subnet_owner_id"]) == ([PAYMENTS], NETWORK)
    assert rows["sn-priv"]["existing_eni_ids"] == ["eni-pay"]  # B's ENI in A's subnet
    assert (rows["sn-c"]["account_ids"], rows["sn-c"]["subnet_owner_id"]) == ([REPORTS], REPORTS)
    text = _run("enis").stdout
    assert f"account {PAYMENTS} · subnet of {NETWORK}" in " ".join(text.split())
