"""The words a policy text uses for its own status and issuer (corpus/revisions.yaml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

REVISIONS_PATH = Path(__file__).resolve().parent / "revisions.yaml"


@dataclass(frozen=True)
class RevisionWords:
    statuses: tuple[tuple[str, tuple[str, ...]], ...]  # status → the words stating it, in order of precedence
    unstated: str
    issuer_endings: tuple[str, ...]

    @property
    def status_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.statuses)


@lru_cache(maxsize=1)
def load_revision_words(path: Path = REVISIONS_PATH) -> RevisionWords:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return RevisionWords(
        statuses=tuple((str(k), tuple(map(str, v))) for k, v in data["statuses"].items()),
        unstated=str(data["unstated"]),
        issuer_endings=tuple(sorted(map(str, data["issuer_endings"]), key=len, reverse=True)),
    )
