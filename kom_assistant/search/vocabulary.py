"""The sources' vocabulary in English, for English questions the curated glossary misses.

`vocabulary.tsv` has a line for each Norwegian word the sources use three times or more (its
commonest forms) with the English words a user would ask with, written for this project; a
maintainer can extend it. An English question's words find the sources' word by English stem,
so "embassies" finds "utenrikstjenesten" and "refused" finds "avslag". Norwegian words an English
question carries ("Lauras hus", "barnehus") are searched as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import Stemmer
from wordfreq import top_n_list, zipf_frequency

from ..ingest.language import WORD

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.tsv")
# English words this common ("will", "new", "under") translate to noise, alone.
_COMMON_ENGLISH = 300
_EN_WORD = re.compile(r"[a-z]+")


@cache
def _english_stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def _stems(text: str) -> tuple[str, ...]:
    # "organize" and "organise" meet; so do "organization" and "organisation".
    words = _EN_WORD.findall(text.lower().replace("iz", "is"))
    return tuple(_english_stemmer().stemWords(words))


def words_table(lines: Iterable[str]) -> dict[tuple[str, ...], str]:
    """English stems -> one Norwegian word: the commonest whose first sense they are, else the
    commonest with them as any sense. One word each: more ("national" -> "land nasjonale
    statsborgere ...") drowns the question's own terms."""
    first: dict[tuple[str, ...], str] = {}
    any_sense: dict[tuple[str, ...], str] = {}
    same: dict[tuple[str, ...], str] = {}
    for line in lines:
        if line.startswith("#") or "\t" not in line:
            continue
        forms, english = line.split("\t")
        word = forms.split()[0]
        for i, phrase in enumerate(p.strip() for p in english.split(";") if p.strip()):
            # Lines come commonest first: the first word stays. An English word the sources
            # also use (in an English title: "children") counts only when no Norwegian does.
            kind = same if word == phrase.lower() else first if i == 0 else any_sense
            if stems := _stems(phrase):
                kind.setdefault(stems, word)
    return same | any_sense | first


@cache
def _file_table() -> tuple[dict[tuple[str, ...], str], int]:
    """The bundled table, and the most words any of its English phrases has."""
    table = words_table(VOCABULARY_FILE.read_text(encoding="utf-8").splitlines())
    return table, max(map(len, table), default=0)


@cache
def _common_english() -> frozenset[tuple[str, ...]]:
    return frozenset(_stems(w) for w in top_n_list("en", _COMMON_ENGLISH))


def word_terms(question: str, table: dict[tuple[str, ...], str] | None = None) -> list[str]:
    """The sources' words for the English words and phrases of `question`, longest first."""
    table, longest = _file_table() if table is None else (table, max(map(len, table), default=0))
    stems = _stems(question)
    found, at = [], 0
    while at < len(stems):
        for n in range(min(longest, len(stems) - at), 0, -1):
            key = stems[at:at + n]
            if key in table and (n > 1 or key not in _common_english()):
                found.append(table[key])
                at += n
                break
        else:
            at += 1
    return found


# How much more common (Zipf: log10 per billion words) a word must be in Norwegian than in
# English to count as Norwegian: "hus", "statens", "Oslo" do; "Norway", "seminar" do not.
_MORE_NORWEGIAN = 1.0


def norwegian_words(question: str) -> list[str]:
    """The Norwegian words an English question carries: names ("Lauras hus", "Pro Sentret")
    and terms ("barnehus") the sources use as they are."""
    return [w for w in WORD.findall(question)
            if zipf_frequency(w.lower(), "nb") - zipf_frequency(w.lower(), "en") >= _MORE_NORWEGIAN]
