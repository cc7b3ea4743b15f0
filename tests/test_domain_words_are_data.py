"""What the answering layer knows about places, programmes and documents comes from corpus/
data or the library's metadata: no string literal in assistant/ or retriever/ names a region,
a programme or a shipped document (docstrings and comments may, as examples)."""
from __future__ import annotations

import ast
from pathlib import Path

from corpus import load_documents
from corpus.glossary import load_glossary

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "retriever")


def _names() -> set[str]:
    g = load_glossary()
    names = {n for ns in g.regions.values() for n in ns if len(n) >= 2} | set(g.cities)
    names |= {n for ns in g.programme_aliases.values() for n in ns}
    names |= {d.id for d in load_documents()} | {d.title for d in load_documents()}
    return names


def _literals(path: Path) -> list[tuple[int, str]]:
    """String literals that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_region_programme_or_document_is_named_in_code():
    names = _names()
    found = [f"{path.relative_to(ROOT)}:{line}: {name} in {text[:40]!r}"
             for package in PACKAGES for path in sorted((ROOT / package).glob("*.py"))
             for line, text in _literals(path) for name in names if name in text]
    assert found == []


def test_the_check_sees_a_named_region():
    """The scan itself works: a literal naming a region is found."""
    tree_text = 'X = "湖南的创新联合体"\n'
    path = ROOT / "out" / "probe_literal.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(tree_text, encoding="utf-8")
    try:
        assert any(n in t for _, t in _literals(path) for n in _names())
    finally:
        path.unlink()
