"""What a question says about where to look: named regions and document types.
Deterministic string matching on the registries in corpus/ — no model involved."""
from __future__ import annotations

from dataclasses import dataclass

from corpus import DOC_TYPE_ALIASES, OTHER_REGIONS, REGION_ALIASES


@dataclass(frozen=True)
class Scope:
    regions: tuple[str, ...] = ()        # corpus regions the question names
    doc_types: tuple[str, ...] = ()      # document types it names
    other_regions: tuple[str, ...] = ()  # places it names that the corpus has no document for

    @property
    def names_region(self) -> bool:
        return bool(self.regions)


def _named(question: str, aliases: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The names a question uses, in the order it uses them ("湖南和广西…" → 湖南, 广西)."""
    found = {name: min(question.index(w) for w in words if w in question)
             for name, words in aliases.items() if any(w in question for w in words)}
    return tuple(sorted(found, key=found.get))


def detect_scope(question: str) -> Scope:
    """Regions and document types named in the question, in the order it names them.
    "自治区" alone names no region: 广西 and 内蒙古 are both autonomous regions."""
    regions = _named(question, REGION_ALIASES)
    others = tuple(r for r in OTHER_REGIONS if r in question)
    return Scope(regions=regions, doc_types=_named(question, DOC_TYPE_ALIASES), other_regions=others)
