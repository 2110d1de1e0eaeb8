"""Shared fixtures: paths to the samples and the Batfish corpus, and a snapshot writer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus" / "batfish-aws"
TF_CORPUS = ROOT.parent / "shared" / "corpus" / "terraform-plans"
CF_CORPUS = ROOT.parent / "shared" / "corpus" / "cloudformation"


def sample_dirs() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if (p / "snapshot.json").is_file())


def corpus_dirs() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


# The corpus sits beside the project (../shared/corpus); a checkout without it skips these, saying why.
needs_tf_corpus = pytest.mark.skipif(not TF_CORPUS.is_dir(), reason=f"no Terraform corpus at {TF_CORPUS}")
needs_cf_corpus = pytest.mark.skipif(not CF_CORPUS.is_dir(), reason=f"no CloudFormation corpus at {CF_CORPUS}")


def terraform_files() -> list[Path]:
    """Every `terraform show -json` output of the corpus (plans and the state)."""
    return sorted(TF_CORPUS.glob("*.json")) if TF_CORPUS.is_dir() else []


@pytest.fixture
def write_json(tmp_path):
    """Write a JSON-able value (or raw text) to a file in tmp_path and return its path."""
    def write(value, name: str = "snapshot.json") -> Path:
        path = tmp_path / name
        path.write_text(value if isinstance(value, str) else json.dumps(value))
        return path
    return write
