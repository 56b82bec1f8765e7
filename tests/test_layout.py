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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph(*, in_functions: bool) -> dict[str, set[str]]:
    """Which of the package's modules each imports: at import time (module level, outside
    ``if TYPE_CHECKING:``), and with ``in_functions`` also those imported inside functions.
    ``from a import b`` is an edge to the module ``a.b`` when there is one, else to ``a``."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}

    def statements(body: list[ast.stmt]):  # type: ignore[no-untyped-def]
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                yield node
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from statements(node.body + node.orelse)
            elif isinstance(node, ast.Try):
                yield from statements(node.body + [s for h in node.handlers for s in h.body])
            elif in_functions and isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                inner = (n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom)))
                yield from inner

    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in statements(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([base] if base else [])])
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in paths else base
                    for alias in node.names
                ]
            edges |= {t for t in targets if t in paths and t != name}
        graph[name] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                found.append(sorted([v, *group]))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_itself_round_a_cycle():
    """Nothing in the package imports, at import time, a module that imports it back."""
    graph = _import_graph(in_functions=False)
    assert len(graph) > 100 and graph["workoutcheck.plan.parser"]
    assert _cycles(graph) == []


def test_plan_has_no_cycle_even_through_imports_inside_functions():
    """plan/ once hid an import cycle of 8 modules behind ``Plan.text`` importing the printer
    when called; none is left, hidden or not."""
    graph = _import_graph(in_functions=True)
    plan = {m: {t for t in e if t.startswith("workoutcheck.plan.")} for m, e in graph.items()}
    plan = {m: e for m, e in plan.items() if m.startswith("workoutcheck.plan.")}
    assert _cycles(plan) == []


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def _readme_layout() -> tuple[set[str], dict[str, list[str]]]:
    """The README's layout block: the root files it names, and per folder the modules its
    continuation lines list (the first word of each comma-separated item)."""
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("- Layout (`src/workoutcheck/`)", 1)[1].split("```", 2)[1]
    root: set[str] = set()
    text: dict[str, str] = {}
    parents: list[tuple[int, str]] = []
    folder = None
    for line in block.splitlines()[1:]:
        words = line.split()
        if not words:
            continue
        indent = len(line) - len(line.lstrip())
        if words[0].endswith("/"):
            while parents and parents[-1][0] >= indent:
                parents.pop()
            folder = "/".join([*(name for _, name in parents), words[0].rstrip("/")])
            parents.append((indent, words[0].rstrip("/")))
            text[folder] = ""
        elif folder is None:
            root |= {w for w in words if w.endswith(".py")}
        else:
            text[folder] += " " + line.strip()
    listed: dict[str, list[str]] = {}
    for name, joined in text.items():
        depth, items, item = 0, [], ""
        for c in joined + ",":
            depth += (c == "(") - (c == ")")
            if c == "," and depth == 0:
                items.append(item.strip())
                item = ""
            else:
                item += c
        listed[name] = [i.split()[0] for i in items if i]
    return root, listed


def test_the_readme_layout_is_the_tree():
    """Every folder of the package is in the README's layout, every module is listed under
    its folder, and nothing listed is not a module there."""
    root, listed = _readme_layout()
    assert root == ROOT_MODULES
    folders = {
        str(p.relative_to(PACKAGE)): p
        for p in PACKAGE.rglob("*")
        if p.is_dir() and p.name != "__pycache__"
    }
    assert set(listed) == set(folders)
    for name, path in folders.items():
        modules = {p.stem for p in path.glob("*.py")} - {"__init__"}
        assert sorted(listed[name]) == sorted(modules), f"README layout of {name}/"
