"""The layering of docs/architecture.md: what each folder may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# folder -> top-level packages of this project it must never import
FORBIDDEN = {
    "data": {"app", "layouts", "callbacks"},
    "geo": {"app", "layouts", "callbacks", "data.pipeline", "data.staff"},
    "layouts": {"app", "callbacks"},
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in `path`, also those inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def breaks(module: str, forbidden: set[str]) -> bool:
    return any(module == f or module.startswith(f"{f}.") for f in forbidden)


def violations(folder: str) -> list[str]:
    out = []
    for path in sorted((REPO_ROOT / folder).rglob("*.py")):
        for line, module in imported_modules(path):
            if breaks(module, FORBIDDEN[folder]):
                out.append(f"{path.relative_to(REPO_ROOT)}:{line} imports {module}")
    return out


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_folder_imports_only_what_the_architecture_allows(folder):
    assert violations(folder) == []


def test_the_rule_catches_an_import_inside_a_function(tmp_path):
    source = tmp_path / "module.py"
    source.write_text("def f():\n    from app.context import reader\n    return reader\n")
    assert [m for _, m in imported_modules(source) if breaks(m, FORBIDDEN["data"])] == [
        "app.context"
    ]
