"""Repair Norwegian letters (æ, ø, å) that OCR turned into look-alikes ("pa", "gkonomi", "88 257").

This module walks a text: it skips URLs and foreign passages, judges each word (or a word
broken at a line end) by its most probable spelling (`spelling`), and repairs single
characters ("a", "&", "8", "|") only by context rules. Precision comes before recall.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .spelling import (
    MIN_UNKNOWN_SCORE,
    Vocabulary,
    apply_edits,
    best_repair,
    frequencies,
    is_english,
    split_words,
)

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


def _verb_like(word: str, vocab: Vocabulary, strict: bool) -> bool:
    """Could `word` follow the infinitive marker "å"? After "8" and "d" only a clear verb."""
    if not word.isalpha() or not word.islower() or is_english(word):
        return False
    fixed = best_repair(word, vocab)
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
                frequencies(lang).get(words[i], 0.0) > 1e-7 for lang in ("en", "sv"))):
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
    fixed = best_repair(lower, vocab, *neighbours)
    from_l = False
    if fixed is None and word[:1] == "I" and word[1:].islower() and vocab.zipf(lower) == 0.0:
        # OCR reads a lower-case "l" at word start as "I" ("Igpende" for "løpende").
        alt = best_repair("l" + lower[1:], vocab)
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
        new = apply_edits(lower[offset: offset + length], mine)
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
    words = split_words(text)
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
    return sum(best_repair(w, vocabulary) is not None for w in sample) > 0.02 * len(sample)
