"""Number words, from one table (number_words.toml): as digits where an age is read
(contacts.py), and as a pattern where a count or a duration must be found (answerability.py)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

NUMBER_WORDS_FILE = Path(__file__).with_name("number_words.toml")
_AGE_PARTS = ("units", "teens", "tens")
# Counts take the words ages leave out too: "en", "ett", "to", "one", "hundred".
_COUNT_PARTS = (*_AGE_PARTS, "small", "hundreds")


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads(NUMBER_WORDS_FILE.read_text(encoding="utf-8"))


@cache
def _age_words(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    table = _table()[lang]
    units, tens = table["units"], table["tens"]
    words = {w: str(v) for part in _AGE_PARTS for w, v in table[part].items()}
    words.update({w: f"{v}s" for w, v in table.get("decades", {}).items()})
    # "twenty-five", "twenty five"; "tjuefem"
    joins = ("-", " ") if lang == "en" else ("",)
    words.update({f"{t}{j}{u}": str(tv + uv) for t, tv in tens.items() for u, uv in units.items()
                  for j in joins})
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # Before a word boundary, or the age word it is written together with ("femtenåring").
    return re.compile(rf"\b({alternatives})(?=\b|åring|årene|åra)", re.IGNORECASE), words


def with_digits(text: str, lang: str) -> str:
    """Number words as digits ("a fifteen-year-old" -> "a 15-year-old"), in the message's
    language; the words that are also articles or another word ("en", "to") stay words."""
    pattern, words = _age_words("en" if lang == "en" else "nb")
    return pattern.sub(lambda m: words[m.group(1).lower()], text)


def count_words() -> str:
    """Every number word of both languages as regex alternatives, longest first: a question
    in one language often meets a passage in the other."""
    words = {w for table in _table().values() for part in _COUNT_PARTS
             for w in table.get(part, {})}
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
