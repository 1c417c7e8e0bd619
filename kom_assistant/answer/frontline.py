"""Is a message a frontline case: someone in a situation with signs of trafficking, and a request
for what to do? Such a message gets the steps and contacts, never a refusal.

The rules (a request for action, the signs of indicators.toml, someone the message is about)
are features of a learned model (model.py's "frontline", over the message's embedding too); the
rules decide alone when no model reads the query encoder in use.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from .contacts import (
    ADULT_WORDS,
    CHILD_WORDS,
    FOLD_AEOEAA,
    asks_for_action,
    asks_for_contact,
    audience_of,
)
from .model import AnswerModels

INDICATORS_FILE = Path(__file__).with_name("indicators.toml")


@cache
def _indicators() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = tomllib.loads(INDICATORS_FILE.read_text(encoding="utf-8"))

    def pattern(terms: list[str], start: str) -> re.Pattern[str]:
        folded = sorted({t.lower().translate(FOLD_AEOEAA) for t in terms}, key=len, reverse=True)
        return re.compile(start + "(" + "|".join(re.escape(t) for t in folded) + ")")

    # Strong words inside compounds too ("gateprostitusjon", "arbeidsutnyttelse").
    return pattern(words["strong"], ""), pattern(words["weak"], r"\b")


# Someone the message is about: a child or an adult named, or a pronoun for them.
_PERSON = re.compile(r"\b(hun|han|henne|ham|hennes|hans|de|dem|deres|she|he|her|him|his|they|"
                     r"them|their)\b", re.IGNORECASE)


def is_frontline_case(message: str, lang: str) -> bool:
    """A message that tells of someone in a situation with signs of trafficking and asks what to
    do or whom to call: it gets the steps and contacts, never a refusal."""
    return (asks_for_action(message) and tells_of_trafficking(message)
            and bool(audience_of(message, lang) or _PERSON.search(message)))


# What the learned frontline decision (model.py's "frontline") reads beside the message's
# embedding: the rules above, as evidence rather than as the verdict.
FRONTLINE_RULES = ("asks_for_action", "asks_for_contact", "tells_of_trafficking",
                   "names_someone", "says_whom")


def frontline_features(message: str, lang: str, vector: Sequence[float]) -> tuple[float, ...]:
    """The message's embedding (the query encoder's), then FRONTLINE_RULES."""
    someone = (_PERSON.search(message) or CHILD_WORDS.search(message)
               or ADULT_WORDS["en" if lang == "en" else "nb"].search(message))
    return (*(float(v) for v in vector), float(asks_for_action(message)),
            float(asks_for_contact(message)), float(tells_of_trafficking(message)),
            float(bool(someone)), float(bool(audience_of(message, lang))))


def tells_of_trafficking(text: str) -> bool:
    """Whether a situation has signs of possible trafficking (indicators.toml): one strong
    word, or two different weak ones."""
    strong, weak = _indicators()
    folded = text.lower().translate(FOLD_AEOEAA)
    return bool(strong.search(folded)) or len(set(weak.findall(folded))) >= 2


def is_frontline(message: str, lang: str, vector: Sequence[float] | None,
                 models: AnswerModels) -> bool:
    """The learned decision when `vector` (case_vector) is given, else the rules'."""
    if models.frontline is None or vector is None:
        return is_frontline_case(message, lang)
    features = frontline_features(message, lang, vector)
    return models.frontline.probability(features) >= models.frontline_threshold

