"""reach/permissions sits below the engine: it imports only the model, errors and the catalogue."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "reach" / "permissions"
ALLOWED = {"reach.model", "reach.errors", "reach.permissions"}


def test_permissions_imports_only_downward():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = "reach.permissions" if node.level == 1 else "reach"
                name = f"{base}.{node.module}" if node.module else base
                assert any(name == a or name.startswith(a + ".") for a in ALLOWED), (path.name, name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "level", 0):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                for n in names:
                    assert not n.startswith("reach") or any(n.startswith(a) for a in ALLOWED), n
                    assert not n.startswith(("boto3", "botocore", "rich", "typer")), n
