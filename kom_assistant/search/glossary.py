"""English -> Norwegian domain terms, so English questions find Norwegian passages by keyword.

The terms are data (glossary.toml beside this file), read once on first use. Longest phrases
match first ("forced labour" before "labour"). Terms are the ones the sources use; they are
added to the question, never shown as a translation of the sources.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")


@dataclass(frozen=True)
class Glossary:
    english: dict[str, str]  # English phrase (lower case) -> the sources' Norwegian terms
    countries: dict[str, str]  # English country name -> its Norwegian name
    everyday_nb: dict[str, str]  # everyday Norwegian word -> the sources' words
    english_pattern: re.Pattern[str]
    everyday_pattern: re.Pattern[str]


def _alternation(phrases: dict[str, str]) -> str:
    return "|".join(re.escape(k) for k in sorted(phrases, key=len, reverse=True))


def read_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    tables = tomllib.loads(path.read_text(encoding="utf-8"))
    countries = tables.get("countries", {})
    english = {**tables.get("english", {}), **countries}
    everyday = tables.get("everyday_nb", {})
    return Glossary(
        english, countries, everyday,
        # An English plural ("shelters", "reception centres") finds its singular's terms.
        re.compile(rf"\b({_alternation(english)})(?:s|es)?\b", re.IGNORECASE),
        re.compile(rf"\b({_alternation(everyday)})\b", re.IGNORECASE),
    )


@cache
def glossary() -> Glossary:
    return read_glossary()


def norwegian_terms(question: str) -> list[str]:
    """Norwegian terms for the English domain phrases in `question`, longest match first."""
    g = glossary()
    return [g.english[m.group(1).lower()] for m in g.english_pattern.finditer(question)]


def source_terms(question: str) -> list[str]:
    """The sources' words for everyday Norwegian words in `question`."""
    g = glossary()
    return [g.everyday_nb[m.group(1).lower()] for m in g.everyday_pattern.finditer(question)]


def expand_question(question: str, language: str) -> str:
    """The question plus Norwegian terms (English questions only)."""
    if language != "en":
        return question
    terms = norwegian_terms(question)
    return f"{question} ({' '.join(terms)})" if terms else question
