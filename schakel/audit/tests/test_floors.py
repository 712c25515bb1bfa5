"""The processing log is the floor every app stands on: it imports none of them."""

import ast
from pathlib import Path

import schakel.audit

FEATURE_APPS = ("signals", "subjects", "partners", "plan", "privacy", "reports", "api",
                "region")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_log_imports_no_feature_app():
    root = Path(schakel.audit.__file__).parent
    offending = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "schakel" and len(parts) > 1 and parts[1] in FEATURE_APPS:
                offending.append(f"{path.relative_to(root)}: {name}")
    assert offending == []
