"""How a question becomes words for the keyword signal: the index's tokenizer, the domain
synonym table (营收 → 主营业务收入, from corpus/synonyms.yaml) and how common a word is in the
library. Shared by BM25 ranking and the assistant's checks of what a clause is about."""
from __future__ import annotations

import math
import numpy as np

from corpus import load_synonyms
from ingest.lexical import LexicalIndex
from ingest.tokenize import jieba_words


class Lexicon:
    def __init__(self, lexical: LexicalIndex, synonyms: dict[str, list[str]] | None = None) -> None:
        self._lexical = lexical
        self._synonyms = load_synonyms() if synonyms is None else synonyms

    def expand(self, question: str, words_only: bool = False) -> list[str]:
        """Question tokens plus the document wording of colloquial terms (营收 → 主营业务收入).
        words_only: jieba words without character bigrams (to name a topic, not to match)."""
        tokenize = jieba_words() if words_only else self._lexical.tokenize
        tokens = tokenize(question)
        for key, words in self._synonyms.items():
            if key in question:
                for w in words:
                    tokens.extend(tokenize(w))
        return tokens

    def document_frequency(self, token: str) -> float:
        """Share of clauses containing a token: how little it says about any one topic."""
        return self._lexical.document_frequency(token)

    def rarity(self, token: str) -> float:
        """How much a word says about what a text is about: −log of the share of clauses saying it;
        a word no clause says counts as rare as one said once."""
        return -math.log(max(self.document_frequency(token), 1 / max(1, self._lexical.size)))

    def scores(self, tokens: list[str]) -> np.ndarray:
        """One BM25 score per clause, in store order."""
        return self._lexical.scores(tokens)
