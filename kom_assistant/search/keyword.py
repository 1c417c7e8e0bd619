"""Keyword search: BM25 over stemmed, folded Norwegian tokens, tolerant of OCR and keyboards.

Folding makes "på"/"pa", "sårbar"/"sarbar", "økonomi"/"okonomi", "nære"/"naere" the same
token; compound splitting lets "menneskehandelsofre" meet "ofre for menneskehandel".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ä": "ae", "ö": "o", "ü": "u"})
# Words too common to help ranking; folded, so "på" and "pa" are both covered.
STOPWORDS = frozenset(
    "og i pa er det som for av til med en et at har ikke om de den fra kan skal vil eller "
    "seg sin sine sitt ble blir vaere vaert ogsa mot man noen hva hvem hvor hvordan hvilke "
    "hvilken hvorfor nar jeg vi du meg oss der da enn sa under ved etter slik dette disse "
    "andre alle hen hun han dem deres var vart hvis dersom bor ma a the and of to in is are "
    "hvilket hvilken altsa sier si star gjor gjore gjores far fatt fikk vet mye men mange "
    "inn ut over bli blitt finne finner finnes kunne skulle ville burde trenger nok jo vel "
    "on with what who where how which why when do does can should we you my our this that "
    "from by an be been has have was were will would about any it its at as or not".split()
)
_LINKING = ("s", "e")  # Norwegian compound joints: menneskehandel-s-ofre, barn-e-vern



def fold(text: str) -> str:
    return text.lower().translate(_FOLD)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("norwegian")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem on the real letters, then fold, so both spellings end on one token."""
    return fold(_stemmer().stemWord(word.lower()))


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if not w.isdigit() or len(w) >= 2]


@dataclass
class Decompounder:
    """Splits long words into two known words (from the corpus), e.g. barnevern|tiltak."""

    known: frozenset[str]
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_count: int = 2) -> Decompounder:
        counts = Counter(w.lower() for t in texts for w in _WORD.findall(t) if len(w) >= 4)
        words = [w for w, n in counts.items() if n >= min_count and not w.isdigit()]
        # Stems too, so "europaråd|s|konvensjon" finds the head in "Europarådet".
        return cls(frozenset([fold(w) for w in words] + [stem(w) for w in words]))

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound (folded), or () when it is not one we can see."""
        w = fold(word)
        if len(w) < 9 or w.isdigit():
            return ()
        if w in self._cache:
            return self._cache[w]
        best: tuple[str, ...] = ()
        for i in range(len(w) - 4, 3, -1):  # longest head first: menneskehandel|s|ofre
            head, tail = w[:i], w[i:]
            if tail not in self.known or len(tail) < 4:
                continue
            for h in (head, *(head[: -len(j)] for j in _LINKING if head.endswith(j))):
                if len(h) >= 4 and h in self.known:
                    best = (h, tail)
                    break
            if best:
                break
        self._cache[w] = best
        return best


def tokenize(text: str, decompounder: Decompounder | None = None) -> list[str]:
    """Stemmed, folded tokens without stopwords; compounds add their parts as extra tokens."""
    tokens = []
    for word in words(text):
        f = fold(word)
        if f in STOPWORDS or len(f) < 2:
            continue
        tokens.append(stem(word))
        if decompounder is not None:
            tokens.extend(stem(part) for part in decompounder.split(word))
    return tokens


@dataclass
class KeywordIndex:
    """BM25 (bm25s) over chunk texts; original (pre-repair) text adds its differing tokens."""

    decompounder: Decompounder
    _bm25: object = None
    _vocab: frozenset[str] = frozenset()
    size: int = 0
    doc_freq: dict[str, int] = field(default_factory=dict)  # token -> chunks containing it

    @classmethod
    def build(cls, texts: Sequence[str], originals: Sequence[str] = ()) -> KeywordIndex:
        import bm25s

        decompounder = Decompounder.from_texts(texts)
        corpus = []
        for i, text in enumerate(texts):
            tokens = tokenize(text, decompounder)
            if i < len(originals) and originals[i]:
                seen = set(tokens)
                tokens += [t for t in tokenize(originals[i], decompounder) if t not in seen]
            corpus.append(tokens or ["_"])
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        doc_freq = Counter(t for doc in corpus for t in set(doc))
        return cls(decompounder, bm25, frozenset(doc_freq), len(texts), dict(doc_freq))

    def idf(self, token: str) -> float:
        """Rarity of a token; unknown tokens count as rare (they may be what the question is
        really about)."""
        import math

        return math.log(1 + (self.size + 1) / (self.doc_freq.get(token, 0) + 0.5))

    def scores(self, query: str | Sequence[str]) -> np.ndarray:
        """BM25 score of every chunk for the query (text, or tokens already made)."""
        tokens = tokenize(query, self.decompounder) if isinstance(query, str) else list(query)
        known = [t for t in dict.fromkeys(tokens) if t in self._vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)  # type: ignore[attr-defined]
