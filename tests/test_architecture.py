"""The shape of the code: the core never reaches for an edge, and no module imports itself back.

Every module of the packages is imported (nothing fails at import), and the import graph is
read from each module's syntax tree: project-internal imports, at module level and inside
functions alike, so a lazy import cannot hide a cycle."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("corpus", "ingest", "retriever", "assistant", "selfcheck", "evals", "ui")
EDGE_LIBRARIES = {"typer", "click", "gradio", "fastapi", "starlette", "uvicorn"}
EDGE_PACKAGE = "ui"
BLIND = ROOT / "evals" / "blind"


def module_files() -> dict[str, Path]:
    """Dotted module name → file, for every module of the packages (not the blind sets' own
    build and check scripts under evals/blind/: data as their writers left it)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if BLIND in path.parents:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = module_files()


def imports_of(name: str, path: Path) -> set[str]:
    """What a module imports, as dotted names: `import a.b` is a.b; `from a.b import c` is
    a.b.c when that is a module of ours, else a.b. Relative imports are resolved. (Importing
    a.b also runs a's __init__, but that is Python's doing, not a dependency of the module.)"""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names)
    return found


GRAPH = {name: {n for n in imports_of(name, path) if n in MODULES and n != name}
         for name, path in MODULES.items()}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not n.endswith("__main__")))
def test_every_module_imports(name):
    importlib.import_module(name)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path a → … → a, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = 1, path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node], _ = 2, path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_graph_has_no_cycle():
    cycle = find_cycle(GRAPH)
    assert cycle is None, " → ".join(cycle)


def test_the_graph_sees_lazy_imports():
    """The reader is not fooled by an import inside a function (ui.errors imports the error
    types lazily) nor by one under TYPE_CHECKING (ui.services)."""
    assert {"ingest.errors", "assistant.errors", "selfcheck.errors"} <= GRAPH["ui.errors"]
    assert "retriever" in GRAPH["ui.services"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.split(".")[0] != EDGE_PACKAGE))
def test_the_core_imports_no_edge_library(name):
    used = {n.split(".")[0] for n in imports_of(name, MODULES[name])} & EDGE_LIBRARIES
    assert not used, f"{name} imports {sorted(used)}: command line, web and HTTP live in ui/"


def test_the_core_imports_nothing_from_ui():
    offenders = {name: sorted(n for n in deps if n.split(".")[0] == EDGE_PACKAGE)
                 for name, deps in GRAPH.items() if name.split(".")[0] != EDGE_PACKAGE}
    assert not {k: v for k, v in offenders.items() if v}
