"""Repair Norwegian letters (æ, ø, å) that OCR turned into look-alikes ("pa", "gkonomi", "88 257").

Each damaged word becomes its most probable reading: the frequency of a candidate (wordfreq's
Norwegian Bokmål list, plus counts from clean documents) minus the cost of the OCR confusions
needed to reach it. Precision comes before recall: an existing word is only replaced when a
candidate clearly beats it, and single characters ("a", "&", "8", "|") only by context rules.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
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

TOKEN_RE = re.compile(r"(?:[^\W_]|@)+|[&|]")
PROTECTED_RE = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:no|com|org|net|se|dk|fi|int|eu|gov|uk|io)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Foreign passages (English titles, Swedish reports) must not be "repaired" into Norwegian.
ENGLISH = frozenset(["the", "of", "and", "with", "from", "this", "that", "these", "which", "were",
                     "was", "their", "are", "have", "has", "an", "or", "in", "on", "is", "between"])
SWEDISH = frozenset(["och", "att", "inte"])
SHORT_VERBS = frozenset(["ha", "bli", "gi", "ta", "se", "la", "bo", "tro", "dø", "nå", "få", "gå",
                         "stå", "slå", "bistå", "oppnå", "inngå"])
ONE_CHAR_A = frozenset(["a", "A", "&", "@", "8", "d"])
NOT_AFTER_A = frozenset(["og", "eller", "i", "b", "c", "d", "la", "priori"])
LAW_WORD_RE = re.compile(r"(?:loven|lova|lov|forskriften|forskrift|lovens)$", re.IGNORECASE)
SUFFIXES = ("ene", "en", "et", "er", "ers", "ert", "ets", "ens", "ne", "te", "de", "s", "e")

Edits = tuple[tuple[int, int, str], ...]  # (start, end, intended) in the lower-case word
Candidate = tuple[str, float, Edits]  # spelling, score (zipf - cost), edits


@dataclass(frozen=True)
class Repair:
    start: int
    end: int
    original: str
    replacement: str


@dataclass(frozen=True)
class RepairResult:
    text: str
    repairs: tuple[Repair, ...]


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Word and bigram counts from clean documents; lookups also use wordfreq ("nb")."""

    counts: Mapping[str, int]
    bigrams: Mapping[tuple[str, str], int]
    total: int
    names: frozenset[str] = frozenset()  # lower-case words written capitalised: "økokrim"
    _zipf: dict[str, float] = field(default_factory=dict, repr=False)
    _whole: dict[str, Candidate] = field(default_factory=dict, repr=False)
    _ranked: dict[str, tuple[float, Candidate]] = field(default_factory=dict, repr=False)

    def zipf(self, word: str) -> float:
        """Zipf frequency (log10 per billion words) of a lower-case word; 0.0 if unknown."""
        cached = self._zipf.get(word)
        if cached is None:
            freq = _frequencies("nb").get(word, 0.0)
            listed = math.log10(freq) + 9 if freq > 0 else 0.0
            count = self.counts.get(word, 0)
            clean = math.log10(count / self.total) + 9 - CLEAN_DISCOUNT if count else 0.0
            cached = self._zipf[word] = max(listed, clean, 0.0)
        return cached


@lru_cache(maxsize=3)
def _frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict  # a 300k-word table: load on first use only

    return get_frequency_dict(lang)


def _words(text: str, keep_case: bool = False) -> list[str]:
    # A line-end hyphen splits one word in two; joining keeps fragments out of the vocabulary.
    words = re.findall(r"[^\W\d_]+", re.sub(r"(\w)-\n(\w)", r"\1\2", text))
    return words if keep_case else [w.lower() for w in words]


def build_vocabulary(clean_texts: Iterable[str]) -> Vocabulary:
    """Domain vocabulary from documents with intact æ/ø/å (it complements wordfreq)."""
    counts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    for text in clean_texts:
        raw = _words(text, keep_case=True)
        words = [w.lower() for w in raw]
        counts.update(words)
        capitalised.update(w.lower() for w in raw if w[0].isupper())
        bigrams.update(zip(words, words[1:], strict=False))
    names = frozenset(w for w, n in capitalised.items() if n >= 0.8 * counts[w])
    return Vocabulary(dict(counts), dict(bigrams), max(sum(counts.values()), 1), names)


def _apply(word: str, edits: Edits) -> str:
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
            spelled = _apply(word, chosen)
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
        listed = _frequencies("nb")
        for spelled, (cost, edits) in _candidates(word).items():
            if spelled not in listed and spelled not in vocab.counts:
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
        if own < MIN_CANDIDATE_ZIPF and result[0] == word and len(word) >= 8:
            result = _best_compound(word, vocab)
        vocab._ranked[word] = (own, result)
    return vocab._ranked[word]


def _best(word: str, vocab: Vocabulary, before: str = "", after: str = "") -> Candidate | None:
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


def _english(word: str) -> bool:
    english = _frequencies("en").get(word, 0.0)
    return english > 1e-6 and english > 10 * _frequencies("nb").get(word, 0.0)


def _verb_like(word: str, vocab: Vocabulary, strict: bool) -> bool:
    """Could `word` follow the infinitive marker "å"? After "8" and "d" only a clear verb."""
    if not word.isalpha() or not word.islower() or _english(word):
        return False
    fixed = _best(word, vocab)
    form = fixed[0] if fixed else word
    if strict:  # "til 8 bekjempe" but "på 8 faste ansatte": the clean texts must have "å faste"
        return ("å", form) in vocab.bigrams or (len(form) > 6 and form.endswith("ere"))
    if form in SHORT_VERBS or (form.endswith("e") and vocab.zipf(form) >= 2.0):
        return True
    return form not in NOT_AFTER_A


def repair_text(text: str, vocabulary: Vocabulary) -> RepairResult:
    """Repair OCR-damaged Norwegian letters; the repairs' offsets refer to `text`."""
    protected = [m.span() for m in PROTECTED_RE.finditer(text)]  # URLs, e-mail, domains
    starts = [s for s, _ in protected]
    tokens = [m for m in TOKEN_RE.finditer(text)
              if (k := bisect_right(starts, m.start()) - 1) < 0 or m.start() >= protected[k][1]]
    words = [m.group().lower() for m in tokens]
    english, swedish = [0], [0]  # running counts of foreign marker words
    for w in words:
        english.append(english[-1] + (w in ENGLISH))
        swedish.append(swedish[-1] + (w in SWEDISH))
    repairs: list[Repair] = []
    i = 0
    while i < len(tokens):
        lo, hi = max(0, i - 6), min(len(words), i + 7)
        foreign = english[hi] - english[lo] >= 2 or swedish[hi] > swedish[lo]
        if foreign and (len(words[i]) < 2 or any(
                _frequencies(lang).get(words[i], 0.0) > 1e-7 for lang in ("en", "sv"))):
            i += 1
            continue
        found, step = _repair_at(text, tokens, words, i, vocabulary)
        if found:
            words[i] = found[0].replacement.lower()  # the next token sees the repaired word
        repairs += found
        i += step
    return RepairResult(_splice(text, repairs), tuple(repairs))


def _repair_at(text: str, tokens: list[re.Match[str]], words: list[str], i: int,
               vocab: Vocabulary) -> tuple[list[Repair], int]:
    m = tokens[i]
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    fixed = _context_rule(text, m, prev, nxt, vocab)
    if fixed is not None:
        return [Repair(m.start(), m.end(), m.group(), fixed)], 1
    before = words[i - 1] if i else ""
    if nxt and text[m.end(): nxt.start()] == "-\n" and (m.group() + nxt.group()).isalpha():
        # A word broken at the line end is judged whole, then repaired half by half.
        after = words[i + 2] if i + 2 < len(words) else ""
        return _repair_word(m.group() + nxt.group(), [m.span(), nxt.span()], text, vocab,
                            (before, after)), 2
    if len(m.group()) < 2 or any(c.isdigit() for c in m.group()):
        return [], 1
    after = words[i + 1] if i + 1 < len(words) else ""
    return _repair_word(m.group(), [m.span()], text, vocab, (before, after)), 1


def _context_rule(text: str, m: re.Match[str], prev: re.Match[str] | None,
                  nxt: re.Match[str] | None, vocab: Vocabulary) -> str | None:
    """Tokens too short to judge alone: "| tillegg", "for a forebygge", "straffeloven 88 257"."""
    tok, start, end = m.group(), m.start(), m.end()
    line_before = text[text.rfind("\n", 0, start) + 1: start].strip()
    sentence_start = line_before in ("", "*", "+", "«", "»") or line_before[-1:] in ".!?:"
    gap_after = text[end: nxt.start()] if nxt else ""
    next_word = nxt.group() if nxt else ""
    if tok == "|" and gap_after == " " and next_word.isalpha() and sentence_start:
        return "I"
    if tok in ("8", "88") and gap_after == " ":
        after = text[end + 1: end + 13]
        law = prev and (LAW_WORD_RE.search(prev.group()) or re.fullmatch(r"\d{4}", prev.group()))
        if law and re.match(r"\d+(?:-\d+)?[a-z]?\b", after):
            return "§" * len(tok)  # "straffeloven 88 257", "forskriften 8 8-3"
        if tok == "8" and text[start - 1: start] == "(" and re.match(r"\d{2,3}\)", after):
            return "§"  # "(8 315)"
    if tok not in ONE_CHAR_A or gap_after not in (" ", "\n", " \n"):
        return None
    if not _verb_like(next_word, vocab, strict=tok in ("8", "d")):
        return None
    if tok == "A":
        return "Å" if sentence_start else None
    if tok in ("8", "d"):  # also a table number or a letter: only right after a lower-case word
        if prev is None or not (prev.group().isalpha() and prev.group().islower()):
            return None
        return "å" if text[prev.end(): start] == " " else None
    return "å"


def _repair_word(word: str, parts: list[tuple[int, int]], text: str, vocab: Vocabulary,
                 neighbours: tuple[str, str]) -> list[Repair]:
    if sum(c.isupper() for c in word) > 1 and "@" not in word:
        return []  # acronyms and names such as "KOMs", "IMDi"
    lower = word.lower()
    fixed = _best(lower, vocab, *neighbours)
    from_l = False
    if fixed is None and word[:1] == "I" and word[1:].islower() and vocab.zipf(lower) == 0.0:
        # OCR reads a lower-case "l" at word start as "I" ("Igpende" for "løpende").
        alt = _best("l" + lower[1:], vocab)
        if alt is not None and alt[1] - 0.8 >= MIN_UNKNOWN_SCORE:
            fixed, from_l, lower = alt, True, "l" + lower[1:]
    if fixed is None:
        return []
    out, offset = [], 0
    for start, end in parts:
        length = end - start
        if any(s < offset + length < e for s, e, _ in fixed[2]):
            return []  # an edit across the line break: leave both halves
        mine = tuple((s - offset, e - offset, r) for s, e, r in fixed[2]
                     if offset <= s and e <= offset + length)
        original = text[start:end]
        new = _apply(lower[offset: offset + length], mine)
        if not (from_l and offset == 0):
            new = _with_case(original, new)
        if original[:1] == "@" and fixed[0] in vocab.names:
            new = new[:1].upper() + new[1:]  # "@" stands for "Ø" as often as for "ø"
        if new != original:
            out.append(Repair(start, end, original, new))
        offset += length
    return out


def _with_case(original: str, repaired: str) -> str:
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return repaired.upper()
    return repaired[:1].upper() + repaired[1:] if original[:1].isupper() else repaired


def _splice(text: str, repairs: list[Repair]) -> str:
    out, pos = [], 0
    for r in sorted(repairs, key=lambda r: r.start):
        out += [text[pos: r.start], r.replacement]
        pos = r.end
    return "".join(out) + text[pos:]


def needs_ocr_repair(text: str, vocabulary: Vocabulary | None = None) -> bool:
    """True for Norwegian text whose æ/ø/å were lost in OCR (few æøå, "pa" for "på")."""
    words = _words(text)
    if len(words) < 50:
        return False
    if sum(w in {"og", "i", "er", "til", "som", "det", "av", "med", "en"} for w in words) < (
            0.08 * len(words)):
        return False  # not Norwegian prose: nothing to repair into
    damaged = sum(w in {"pa", "ogsa", "vaere", "nar", "ma", "fa", "bade"} for w in words)
    intact = sum(w in {"på", "også", "være", "når", "må", "få", "både"} for w in words)
    if damaged > intact:
        return True
    if sum(c in "æøåÆØÅ" for c in text) >= 0.004 * sum(c.isalpha() for c in text):
        return False
    if vocabulary is None:
        return True
    # Few æøå but none of the tell-tale words: see how many words the repairer would change.
    sample = words[:3000]
    return sum(_best(w, vocabulary) is not None for w in sample) > 0.02 * len(sample)
