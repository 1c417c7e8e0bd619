"""Personal data a frontline worker might type or paste by mistake: found and removed before a
question is sent or a feedback comment stored.

Numbers, e-mail addresses and street addresses are found by their shape. A person's name is a
capitalised word, not at the start of a sentence, that names.py does not know as a word; a run of
capitalised words ("Ola Nordmann", "Anne-Lise Berg") is a name when one of them is, wherever
it stands. Acronyms (UDI, NAV) are organisations, not people.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from ..ingest.language import WORD

_STREET = (r"(?i:gata|gaten|gate|veien|vegen|vei|veg|plassen|plass|allé|stien|bakken|svingen|"
           r"ringen|tunet|kaia|brygge|torget)")
_PERSONAL = {
    # Any 11 digits: a birth number, a D-number or a bank account, valid or not.
    "fødselsnummer": re.compile(
        r"(?<!\d)(?<!\d\.)(?:\d{6}\s?\d{5}|\d{4}[. ]\d{2}[. ]\d{5})(?!\d|\.\d)"),
    "telefon": re.compile(r"(?<![\d-])(?:\+47\s?)?(?:[2-9]\d{7}|[2-9]\d(?:\s\d{2}){3}|"
                          r"[49]\d{2}\s\d{2}\s\d{3})(?![\d-])|\+(?!47)\d{1,3}(?:[\s-]?\d){6,12}"),
    "e-post": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    # "Storgata 5", "Karl Johans gate 5B, 0154 Oslo", "12 Main Street": a capitalised street
    # name and a house number (a street alone names no one), with the postcode and place.
    "adresse": re.compile(
        r"(?:\b(?:[A-ZÆØÅ][\w'-]*\s){0,3}[A-ZÆØÅ][\wæøå-]*" + _STREET
        + r"|\b[A-ZÆØÅ][\w'-]*\s(?i:gate|vei|veg|plass|allé))\s\d{1,3}\s?[A-Za-z]?\b"
        r"(?:,?\s\d{4}(?:\s[A-ZÆØÅ][\wæøå-]+)?)?"
        r"|\b\d{1,4}\s(?:[A-Z][\w'-]*\s){1,3}(?:Street|Road|Avenue|Lane)\b"),
}
# Public numbers and addresses anyone may write (the contact points' own).
PUBLIC = frozenset({"22331160", "112", "02800", "99470279", "kom.pod@politiet.no"})
REMOVED = "[fjernet]"
# A single capitalised word after these is taken for a place ("i Drammen", "from Romania").
_PLACE_WORDS = frozenset({"i", "in", "på", "fra", "from"})
_SENTENCE_END = ".!?:;\n•"


def find_personal_data(text: str, is_name: Callable[[str], bool] | None = None,
                       public: Collection[str] = PUBLIC) -> list[tuple[str, str]]:
    """(kind, match) for each piece of likely personal data in `text`, in reading order.
    Without `is_name`, names are not looked for."""
    return [(kind, text[start:end]) for kind, start, end in _spans(text, is_name, public)]


def remove_personal_data(text: str, is_name: Callable[[str], bool] | None = None,
                         public: Collection[str] = PUBLIC) -> str:
    out, at = [], 0
    for _, start, end in _spans(text, is_name, public):
        if start >= at:
            out += [text[at:start], REMOVED]
            at = end
        elif end > at:  # overlapping finds become one removal
            at = end
    return "".join(out) + text[at:]


def _spans(text: str, is_name: Callable[[str], bool] | None,
           public: Collection[str]) -> list[tuple[str, int, int]]:
    found = []
    for kind, pattern in _PERSONAL.items():
        for m in pattern.finditer(text):
            value = m.group(0)
            if re.sub(r"\D", "", value) in public or value.lower() in public:
                continue
            found.append((kind, m.start(), m.end()))
    if is_name is not None:
        found += [("navn", start, end) for start, end in name_spans(text, is_name)]
    return sorted(found, key=lambda f: (f[1], -f[2]))


def name_spans(text: str, is_name: Callable[[str], bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of capitalised words that looks like a person's name."""
    spans = []
    for run in _capitalised_runs(text):
        names = [is_name(m.group()) for m in run]
        if _sentence_initial(text, run[0].start()) and not names[0]:
            # "Can Mohammed ...": the sentence's first word is capitalised for being first.
            run, names = run[1:], names[1:]
        elif len(run) == 1 and _after_place_word(text, run[0].start()):
            continue
        if len(run) == 1 and _sentence_initial(text, run[0].start()):
            continue  # "Fatima sier ...": a first word cannot be told from a name
        if any(names):
            spans.append((run[0].start(), run[-1].end()))
    return spans


def _capitalised_runs(text: str) -> list[list[re.Match[str]]]:
    """Capitalised words (not acronyms), each run of them joined by one space or hyphen."""
    runs: list[list[re.Match[str]]] = []
    for m in WORD.finditer(text):
        word = m.group()
        if len(word) < 2 or not word[0].isupper() or word.isupper():
            continue
        if runs and text[runs[-1][-1].end():m.start()] in (" ", "-"):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t«\"'(“‘-–")
    return not before or before[-1] in _SENTENCE_END or before.endswith(("\n-", "\n*"))


def _after_place_word(text: str, start: int) -> bool:
    words = text[:start].split()
    return bool(words) and words[-1].lower() in _PLACE_WORDS
