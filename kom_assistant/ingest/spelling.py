"""The most probable spelling of one OCR-damaged Norwegian word ("gkonomi" -> "økonomi").

A candidate's score is its frequency (wordfreq's Norwegian Bokmål list, plus counts from the
clean sources; a form only the full bokmål word list knows counts as rare) minus the cost of the
OCR confusions needed to reach it. An existing word is
only replaced when a candidate clearly beats it; unlisted compounds are repaired part by part.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

# (as OCR wrote it, intended, cost in zipf units). Costs follow how often each confusion occurs in
# the damaged seeds: å -> a is near universal, ø -> g common, ø -> e/o/a and æ -> e/a rarer.
CONFUSIONS: tuple[tuple[str, str, float], ...] = (
    ("a", "å", 0.3), ("@", "å", 0.2), ("d", "å", 1.5),
    ("g", "ø", 0.4), ("@", "ø", 0.2), ("e", "ø", 0.7), ("o", "ø", 0.8), ("a", "ø", 1.0),
    ("ea", "ø", 1.0), ("ga", "ø", 1.0), ("ag", "ø", 1.0), ("eg", "ø", 1.0),
    ("ae", "æ", 0.2), ("ee", "æ", 0.4), ("ce", "æ", 0.4), ("ze", "æ", 0.4), ("ge", "æ", 1.0),
    ("e", "æ", 1.0), ("a", "æ", 1.3),
    ("gi", "gj", 0.8), ("ij", "j", 1.0), ("ji", "j", 1.0),
)
_SITES = [(re.compile(f"(?={re.escape(seen)})"), seen, intended, cost)
          for seen, intended, cost in CONFUSIONS]
MAX_EDITS = 3
MAX_COST = 2.6
MIN_CANDIDATE_ZIPF = 1.0  # rarer "words" in wordfreq are mostly noise
MARGIN_KNOWN = 0.3  # an existing word must lose by this much before it is replaced
MIN_UNKNOWN_SCORE = 0.5
BIGRAM_BONUS = 0.5
CLEAN_DISCOUNT = 2.0  # the clean documents are small: one occurrence is not a common word
LISTED_ZIPF = 1.0  # a form of the bokmål word list that wordfreq does not know: a rare word

SUFFIXES = ("ene", "en", "et", "er", "ers", "ert", "ets", "ens", "ne", "te", "de", "s", "e")

Edits = tuple[tuple[int, int, str], ...]  # (start, end, intended) in the lower-case word
Candidate = tuple[str, float, Edits]  # spelling, score (zipf - cost), edits


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Word and bigram counts from clean documents; lookups also use wordfreq ("nb")."""

    counts: Mapping[str, int]
    bigrams: Mapping[tuple[str, str], int]
    total: int
    names: frozenset[str] = frozenset()  # lower-case words written capitalised: "økokrim"
    listed: frozenset[str] = frozenset()  # a word list's forms (wordlist.norwegian_words)
    _zipf: dict[str, float] = field(default_factory=dict, repr=False)
    _whole: dict[str, Candidate] = field(default_factory=dict, repr=False)
    _ranked: dict[str, tuple[float, Candidate]] = field(default_factory=dict, repr=False)

    def zipf(self, word: str) -> float:
        """Zipf frequency (log10 per billion words) of a lower-case word; 0.0 if unknown."""
        cached = self._zipf.get(word)
        if cached is None:
            freq = frequencies("nb").get(word, 0.0)
            common = math.log10(freq) + 9 if freq > 0 else 0.0
            count = self.counts.get(word, 0)
            clean = math.log10(count / self.total) + 9 - CLEAN_DISCOUNT if count else 0.0
            known = LISTED_ZIPF if word in self.listed else 0.0
            cached = self._zipf[word] = max(common, clean, known)
        return cached


@lru_cache(maxsize=3)
def frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict  # a 300k-word table: load on first use only

    return get_frequency_dict(lang)


def split_words(text: str, keep_case: bool = False) -> list[str]:
    # A line-end hyphen splits one word in two; joining keeps fragments out of the vocabulary.
    words = re.findall(r"[^\W\d_]+", re.sub(r"(\w)-\n(\w)", r"\1\2", text))
    return words if keep_case else [w.lower() for w in words]


def build_vocabulary(clean_texts: Iterable[str]) -> Vocabulary:
    """Domain vocabulary from documents with intact æ/ø/å (it complements wordfreq)."""
    counts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    for text in clean_texts:
        raw = split_words(text, keep_case=True)
        words = [w.lower() for w in raw]
        counts.update(words)
        capitalised.update(w.lower() for w in raw if w[0].isupper())
        bigrams.update(zip(words, words[1:], strict=False))
    names = frozenset(w for w, n in capitalised.items() if n >= 0.8 * counts[w])
    return Vocabulary(dict(counts), dict(bigrams), max(sum(counts.values()), 1), names)


def apply_edits(word: str, edits: Edits) -> str:
    out, pos = [], 0
    for start, end, intended in edits:
        out += [word[pos:start], intended]
        pos = end
    return "".join(out) + word[pos:]


def _candidates(word: str) -> dict[str, tuple[float, Edits]]:
    """Every spelling reachable by up to MAX_EDITS non-overlapping confusions, with its cost."""
    sites = sorted((at.start(), at.start() + len(seen), intended, cost)
                   for pattern, seen, intended, cost in _SITES for at in pattern.finditer(word))
    found: dict[str, tuple[float, Edits]] = {}

    def walk(first: int, after: int, edits: Edits, cost: float) -> None:
        for j in range(first, len(sites)):
            start, end, intended, c = sites[j]
            if start < after or cost + c > MAX_COST:
                continue
            chosen = (*edits, (start, end, intended))
            spelled = apply_edits(word, chosen)
            if spelled not in found or found[spelled][0] > cost + c:
                found[spelled] = (cost + c, chosen)
            if len(chosen) < MAX_EDITS:
                walk(j + 1, end, chosen, cost + c)

    walk(0, 0, (), 0.0)
    return found


def _best_whole(word: str, vocab: Vocabulary) -> Candidate:
    """Most probable listed spelling (score = zipf - cost); the word itself if none beats it."""
    if word not in vocab._whole:
        best: Candidate = (word, vocab.zipf(word), ())
        common = frequencies("nb")
        for spelled, (cost, edits) in _candidates(word).items():
            if spelled not in common and spelled not in vocab.counts and (
                    spelled not in vocab.listed):
                continue  # most candidates are no word at all: skip the cached zipf lookup
            zipf = vocab.zipf(spelled)
            if zipf >= MIN_CANDIDATE_ZIPF and zipf - cost > best[1]:
                best = (spelled, zipf - cost, edits)
        vocab._whole[word] = best
    return vocab._whole[word]


def _best_compound(word: str, vocab: Vocabulary) -> Candidate:
    """Repair the parts of an unlisted compound ("innsatsomrade": innsats + område)."""
    best: Candidate = (word, 0.0, ())
    for cut in range(3, len(word) - 3):
        (head, head_score, head_edits), (tail, tail_score, tail_edits) = (
            _best_whole(word[:cut], vocab), _best_whole(word[cut:], vocab))
        if not (head_edits or tail_edits):
            continue
        cost = vocab.zipf(head) - head_score + vocab.zipf(tail) - tail_score
        # The head may end in a linking -s or -e ("innsats-område", "straffe-forfølgning").
        head_zipf = max(vocab.zipf(head), vocab.zipf(head[:-1]) if head[-1] in "se" else 0.0)
        weakest = min(head_zipf, vocab.zipf(tail))
        score = weakest - cost - 1.0  # an unlisted compound is less certain than a listed word
        # Short parts match by accident ("rapport" + "årer"): demand a linking -s or a common word.
        short = (len(tail) < 5 and head[-1] != "s" and vocab.zipf(tail) < 4.5) or (
            cut < 4 and bool(head_edits))
        if weakest >= 2.5 and not short and score > best[1]:
            shifted = tuple((s + cut, e + cut, r) for s, e, r in tail_edits)
            best = (head + tail, score, head_edits + shifted)
    return best


def _inflected_zipf(word: str, vocab: Vocabulary) -> float:
    """Frequency of a word as written; an unlisted inflection of a known stem counts as known."""
    own = vocab.zipf(word)
    for suffix in SUFFIXES:
        if own < MIN_CANDIDATE_ZIPF and word.endswith(suffix) and len(word) - len(suffix) >= 4:
            stem = word[: -len(suffix)]
            if vocab.zipf(stem) >= 3.0 or vocab.zipf(stem + "e") >= 3.0:
                own = MIN_CANDIDATE_ZIPF  # "utnytteren" must not become "utnytt" + "æren"
    return own


def _ranked(word: str, vocab: Vocabulary) -> tuple[float, Candidate]:
    """Score of a lower-case word as written and its best repair, before context."""
    if word not in vocab._ranked:
        own = _inflected_zipf(word, vocab)
        result = _best_whole(word, vocab)
        # A form only the word list knows is a weak candidate: the repair of the compound's
        # parts may still beat it ("kriminalitetsomrader").
        weak = result[0] != word and vocab.zipf(result[0]) <= LISTED_ZIPF
        if own < MIN_CANDIDATE_ZIPF and (result[0] == word or weak) and len(word) >= 8:
            compound = _best_compound(word, vocab)
            if compound[0] != word and (result[0] == word or compound[1] > result[1]):
                result = compound
        vocab._ranked[word] = (own, result)
    return vocab._ranked[word]


def best_repair(word: str, vocab: Vocabulary, before: str = "",
                after: str = "") -> Candidate | None:
    """Repair of a lower-case word between two neighbours, or None when it should stay."""
    own, result = _ranked(word, vocab)
    if result[0] == word:
        return None
    if own < MIN_CANDIDATE_ZIPF:
        return result if result[1] >= MIN_UNKNOWN_SCORE else None

    def context(w: str) -> float:
        # Word pairs seen in the clean documents ("til våre", "kan være") settle close calls.
        return BIGRAM_BONUS * (((before, w) in vocab.bigrams) + ((w, after) in vocab.bigrams))

    gain = result[1] + context(result[0]) - own - context(word)
    return result if gain >= MARGIN_KNOWN else None


def is_english(word: str) -> bool:
    english = frequencies("en").get(word, 0.0)
    return english > 1e-6 and english > 10 * frequencies("nb").get(word, 0.0)
