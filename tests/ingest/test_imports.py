"""The ingest package's modules import each other in one direction only: the block readers and
the clause parser share the line grammar of ingest.markers, and neither reaches into the other."""
import ast
from pathlib import Path

import ingest

PACKAGE = Path(ingest.__file__).parent


def ingest_imports(path: Path) -> set[str]:
    """Every ingest module a file imports, at the top or inside a function."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ingest."):
            out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names if a.name.startswith("ingest.")}
    return out


def graph() -> dict[str, set[str]]:
    return {p.stem: ingest_imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules along it, or None."""
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt, trail + [nxt])):
                return found
        state[node] = "done"
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_ingest_has_no_import_cycle():
    assert cycle(graph()) is None


def test_readers_and_parser_share_the_line_grammar_not_each_other():
    edges = graph()
    assert "parser" not in edges["blocks"]
    assert "markers" in edges["blocks"] and "markers" in edges["parser"]
    assert edges["markers"] == set()
