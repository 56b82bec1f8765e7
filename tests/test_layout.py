"""The package's layering, as the README's Development section draws it, holds in the code."""

from __future__ import annotations

import ast
from pathlib import Path

import workoutcheck

PACKAGE = Path(workoutcheck.__file__).parent
# each folder imports only from those before it (and errors); the CLI and the API use them all
ORDER = [
    "model",
    "ingest",
    "plan",
    "segment",
    "score",
    "report",
    "run",
    "watch",
    "history",
    "export",
]
ROOT_MODULES = {"__init__.py", "__main__.py", "cli.py", "errors.py"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_root_holds_only_the_cli_errors_and_the_api():
    assert {p.name for p in PACKAGE.glob("*.py")} == ROOT_MODULES
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(
        ORDER
    )


def test_each_folder_imports_only_the_ones_before_it_and_only_the_cli_imports_typer():
    for i, folder in enumerate(ORDER):
        later = {f"workoutcheck.{name}" for name in ORDER[i + 1 :]} | {"workoutcheck.cli"}
        for path in (PACKAGE / folder).rglob("*.py"):
            imports = _imports(path)
            wrong = {m for m in imports if any(m == p or m.startswith(p + ".") for p in later)}
            assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"
            assert not {m for m in imports if m.split(".")[0] == "typer"}, path
