"""Golden tables for the self-assessment engine: loading, and one test id per case."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

GOLDEN_DIR = Path(__file__).parent / "golden"


@dataclass(frozen=True)
class GoldenCase:
    program: str
    name: str
    inputs: Any
    expect: dict

    @property
    def is_error(self) -> bool:
        return "error" in self.expect


def case_inputs(base: dict, case: dict) -> Any:
    """A literal `input`, or `base` with `set` applied and `unset` keys removed."""
    if "input" in case:
        return copy.deepcopy(case["input"])
    inputs = copy.deepcopy(base)
    inputs.update(case.get("set") or {})
    for key in case.get("unset") or ():
        inputs.pop(key, None)
    return inputs


def load_table(path: Path) -> list[GoldenCase]:
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [GoldenCase(case.get("program", table["program"]), case["name"],
                       case_inputs(table.get("base") or {}, case), case["expect"])
            for case in table["cases"]]


def golden_tables() -> dict[str, list[GoldenCase]]:
    """Program id (the file's stem) → its cases."""
    return {path.stem: load_table(path) for path in sorted(GOLDEN_DIR.glob("*.yaml"))}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "golden_case" in metafunc.fixturenames:
        cases = [(stem, c) for stem, cs in golden_tables().items() for c in cs]
        metafunc.parametrize("golden_case", [c for _, c in cases],
                             ids=[f"{stem}:{c.name}" for stem, c in cases])


@pytest.fixture(scope="session")
def tables() -> dict[str, list[GoldenCase]]:
    return golden_tables()
