"""Question -> hits: several signals fused into one ranking.

- dense: the question's e5 vector against each chunk's vector;
- sentence: against each sentence of a chunk, a chunk ranked by its best sentence (a question
  often matches one sentence of a long passage that is mostly about something else);
- pair: against two consecutive sentences read as one;
- keyword: BM25 over stemmed, folded Norwegian;
- reference, only when the question names a numbered part ("tiltak 14", "innsatsområde 2",
  "§ 257"): the chunks that name it or sit under it, fused in a second pass; when it names
  several, the chunks about them all count again (list).

The signals are fused by score (weighted z-scores): a clear lead in one of them keeps its
weight, which rank fusion flattens. The weights are learned per language from the labelled
questions (fusion_model.json, train/fusion.py). Keyword hits on English words are noise against
a Norwegian corpus, so English questions search by keyword only with the Norwegian glossary
terms (and the sources' words for their other words) they contain, and lean on the
multilingual dense model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..ingest.language import detect_language
from ..models import Chunk, Hit
from .embeddings import Embedder
from .fusion import Weights, fusion_weights, language_weights, reciprocal_rank_fusion, score_fusion
from .glossary import norwegian_terms, source_terms
from .index import LoadedIndex
from .keyword import tokenize
from .query_spelling import known_norwegian
from .references import references
from .vocabulary import norwegian_words, word_terms

_CANDIDATES = 60  # per signal, before fusion
# In the second pass for a question naming parts, the first pass's order counts as three
# signals, and an exact reference as much as topping two of them.
_SIGNALS_WEIGHT = 3.0
_REFERENCE_WEIGHT = 2.0
MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    document_ids: tuple[str, ...] = ()
    include_archived: bool = False  # superseded editions only when asked for

    def allows(self, chunk: Chunk) -> bool:
        return (
            (not self.kinds or chunk.kind in self.kinds)
            and (not self.years or chunk.year in self.years)
            and (not self.document_ids or chunk.document_id in self.document_ids)
            and (self.include_archived or chunk.status != "archived")
        )


def dense_scores(index: LoadedIndex, vector: np.ndarray) -> np.ndarray:
    """Each chunk's cosine similarity to the question."""
    return index.vectors @ vector


def sentence_scores(index: LoadedIndex, similarities: np.ndarray) -> np.ndarray:
    """Each chunk's best sentence similarity (`similarities`: every sentence vector against
    the question's); -inf for a chunk without any."""
    return _best_by_chunk(index, index.sentence_owner, similarities)


def pair_scores(index: LoadedIndex, similarities: np.ndarray) -> np.ndarray:
    """Each chunk's cosine similarity of its best two consecutive sentences read as one (the
    sum of their vectors), or of its only sentence: an answer often takes a statement and the
    detail after it, which neither matches as well alone. `similarities` as for
    sentence_scores."""
    owner = index.sentence_owner
    best = _best_by_chunk(index, owner, similarities)
    if index.pair_norms is None:
        return best
    same = owner[1:] == owner[:-1]
    pairs = (similarities[:-1] + similarities[1:]) / np.maximum(index.pair_norms, 1e-6)
    paired = _best_by_chunk(index, owner[:-1][same], pairs[same])
    return np.where(np.isfinite(paired), paired, best)


def _best_by_chunk(index: LoadedIndex, owner: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The highest of `values` per chunk row (owner[i] is value i's row); -inf for none."""
    best = np.full(len(index.chunks), -np.inf, dtype=np.float32)
    if len(owner):
        np.maximum.at(best, owner, values)
    return best


def keyword_scores(index: LoadedIndex, query: str) -> np.ndarray:
    """Each chunk's BM25 score; 0 for a chunk without any of the query's words."""
    return index.keyword.scores(tokenize(query, index.keyword.decompounder))


def dense_ranking(
    index: LoadedIndex, vector: np.ndarray, allowed: np.ndarray, n: int
) -> list[tuple[str, float]]:
    """(chunk id, cosine similarity), best first."""
    return _top(index, np.where(allowed, dense_scores(index, vector), -np.inf), n)


def sentence_ranking(
    index: LoadedIndex, vector: np.ndarray, allowed: np.ndarray, n: int
) -> list[tuple[str, float]]:
    """(chunk id, cosine similarity of its best sentence), best first."""
    scores = sentence_scores(index, index.sentence_vectors @ vector)
    return _top(index, np.where(allowed, scores, -np.inf), n)


def keyword_ranking(
    index: LoadedIndex, question: str, allowed: np.ndarray, n: int
) -> list[tuple[str, float]]:
    """(chunk id, BM25 score) of the chunks with any of the question's words, best first."""
    scores = keyword_scores(index, question)
    return _top(index, np.where(allowed & (scores > 0), scores, -np.inf), n)


def _top(index: LoadedIndex, scores: np.ndarray, n: int) -> list[tuple[str, float]]:
    """The n best; -inf marks a chunk left out (filtered, or without sentences)."""
    order = np.argsort(-scores, kind="stable")[:n]
    return [(index.chunks[i].id, float(scores[i])) for i in order if np.isfinite(scores[i])]


def keyword_query(question: str, language: str) -> str:
    """English questions keep only what a Norwegian text can match: the sources' words for
    their glossary phrases and other words, numbers, names, acronyms and the Norwegian words
    they carry."""
    if language != "en":
        extra = source_terms(question)
        return f"{question} {' '.join(extra)}" if extra else question
    kept = re.findall(r"\b(?:[A-ZÆØÅ]{2,}[\w-]*|\d[\d.,]*|[A-Z][a-zæøå]+(?=\s[A-Z]))", question)
    kept += [w for w in norwegian_words(question) if w not in kept]
    # The glossary and the vocabulary often give the same word ("trafficking" ->
    # "menneskehandel"): once is enough.
    terms = " ".join([*norwegian_terms(question), *word_terms(question), *kept])
    return " ".join(dict.fromkeys(terms.split()))


def reference_ranking(index: LoadedIndex, wanted: frozenset[tuple[str, str]],
                      fused: Sequence[tuple[str, float]], allowed: np.ndarray
                      ) -> list[tuple[str, float]]:
    """Chunks that name (or sit under) the numbered parts the question names: those about the
    most of them first (a "Tiltak 14: ..." title over a passing "jf. tiltak 14"), then those
    naming the most, then in fused order. "innsatsområde 2" in a question means that part,
    however unlike the question its text (a flattened table, say) reads to the other signals."""
    order = dict.fromkeys([c for c, _ in fused] + [c.id for c in index.chunks])
    rows = [(c, index.position[c]) for c in order if allowed[index.position[c]]]
    named = [(c, len(wanted & index.titled_references[row]), len(wanted & index.references[row]))
             for c, row in rows]
    ranked = sorted([n for n in named if n[2]], key=lambda n: (-n[1], -n[2]))
    return [(c, float(titled + named)) for c, titled, named in ranked]


def list_ranking(index: LoadedIndex, wanted: frozenset[tuple[str, str]],
                 reference: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """The chunks about every part a question names ("measures 14, 15, 16 and 17": the table
    of measures that gives them all), in reference order: such a chunk is the list asked for,
    and counts again over chunks about one part each."""
    return [(c, s) for c, s in reference if wanted <= index.titled_references[index.position[c]]]


def dense_query(question: str, language: str) -> str:
    """What the dense model reads: an English question with the sources' Norwegian terms for
    its domain phrases in brackets, which the multilingual model places better than English
    alone."""
    if language == "en" and (terms := norwegian_terms(question)):
        return f"{question} ({' '.join(terms)})"
    return question


def mend_question(index: LoadedIndex, question: str) -> str:
    """A Norwegian question with its words spelled as the sources spell them ("dognet" ->
    "døgnet", "menneskehandl" -> "menneskehandel"); in either language, one typed all in lower
    case with the sources' names and acronyms capitalised ("udi" -> "UDI")."""
    if detect_language(question) != "en":
        question = index.lexicon.mend_text(question, known_norwegian)
    return index.lexicon.restore_case(question)


@dataclass(frozen=True)
class Read:
    """What the search reads of a question: as mended, its language, its vector, and every
    chunk's score in each signal of fusion.SIGNALS (dense, sentence, pair, keyword)."""

    question: str
    language: str
    vector: np.ndarray
    signals: list[np.ndarray]


def read_question(index: LoadedIndex, embedder: Embedder, question: str) -> Read:
    # A pasted page is not a question; past this the model only slows down (it reads 512
    # tokens at most, and tokenising a long text is itself slow).
    question = mend_question(index, question[:MAX_QUESTION_CHARS])
    language = detect_language(question)
    vector = embedder.embed_queries([dense_query(question, language)])[0]
    similarities = index.sentence_vectors @ vector
    return Read(question, language, vector, [
        dense_scores(index, vector), sentence_scores(index, similarities),
        pair_scores(index, similarities),
        keyword_scores(index, keyword_query(question, language))])


def hybrid_search(
    index: LoadedIndex,
    embedder: Embedder,
    question: str,
    k: int = 8,
    filters: Filters | None = None,
    weights: Weights | None = None,
) -> list[Hit]:
    """The k best chunks for a question; `weights` (per language and signal) default to the
    learned ones."""
    filters = filters or Filters()
    read = read_question(index, embedder, question)
    question, language, vector, signals = read.question, read.language, read.vector, read.signals
    allowed = np.array([filters.allows(c) for c in index.chunks], dtype=bool)
    fused = _top(index, score_fusion(signals, allowed,
                                     language_weights(weights or fusion_weights(), language)),
                 _CANDIDATES)
    rankings = {"fused": fused}
    if wanted := references(question):
        rankings["reference"] = reference_ranking(index, wanted, fused, allowed)
        lists, list_weights = [fused, rankings["reference"]], [_SIGNALS_WEIGHT, _REFERENCE_WEIGHT]
        if len(wanted) > 1:
            rankings["list"] = list_ranking(index, wanted, rankings["reference"])
            lists.append(rankings["list"])
            list_weights.append(_REFERENCE_WEIGHT)
        fused = reciprocal_rank_fusion([[c for c, _ in r] for r in lists], list_weights)
    scores = {name: dict(r) for name, r in rankings.items()}
    return [to_hit(index, chunk_id, score, rank,
                   {name: s.get(chunk_id, 0.0) for name, s in scores.items()}, vector)
            for rank, (chunk_id, score) in enumerate(fused[:k], start=1)]


def to_hit(index: LoadedIndex, chunk_id: str, score: float, rank: int,
           signals: dict[str, float], vector: np.ndarray | None = None) -> Hit:
    """The one place an index row becomes a Hit; with the question's `vector`, the hit knows
    how close each of its sentences is to the question."""
    row = index.position[chunk_id]
    sentences: tuple[tuple[int, int, float], ...] = ()
    pairs: tuple[tuple[int, int, float], ...] = ()
    if vector is not None and index.sentence_bounds is not None:
        lo, hi = np.searchsorted(index.sentence_owner, [row, row + 1])
        similarities = index.sentence_vectors[lo:hi] @ vector
        bounds = index.sentence_bounds[lo:hi]
        sentences = tuple((int(s), int(e), float(sim))
                          for (s, e), sim in zip(bounds, similarities, strict=True))
        if index.pair_norms is not None and hi - lo > 1:
            paired = (similarities[:-1] + similarities[1:]) / np.maximum(
                index.pair_norms[lo : hi - 1], 1e-6)
            pairs = tuple((int(bounds[i][0]), int(bounds[i + 1][1]), float(sim))
                          for i, sim in enumerate(paired))
    return Hit(index.chunks[row], round(score, 6), rank, signals, sentences,
               index.titled_references[row], pairs)
