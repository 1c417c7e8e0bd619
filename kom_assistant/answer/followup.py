"""When a question is a follow-up: joined to the one before only when it cannot stand alone."""

from __future__ import annotations

import re
from collections.abc import Sequence

# An opening that continues the conversation: "og", "hva med", "og hvis", "and what about".
_CONTINUES = re.compile(
    r"^\s*(og|men|hva med|hva om|og hvis|enn|gjelder det|and|but|what about|how about|and if|"
    r"also|does that|is that)\b", re.IGNORECASE)
# A pronoun that points back, closing the question: "Hvor lenge varer den?", "is it free?".
_POINTS_BACK = re.compile(r"\b(det|den|dette|denne|de|dem|disse|that|it|this|they|them|those|"
                          r"these)\s*[?.!]*\s*$", re.IGNORECASE)
# Words that carry no topic of their own.
_FUNCTION_WORDS = frozenset(
    "og i på pa er en et ei det den de dem dette denne disse til for med som at av om fra men "
    "the a an and of to in on for with is are it that this they them those these".split())


def stands_alone(question: str) -> bool:
    """Three words or more that carry meaning, no opening that continues, no closing pronoun
    that points back: "hvem kan fa refleksjonsperiode" stands alone, "og barn?" does not."""
    words = [w for w in re.findall(r"[^\W_]+", question.lower()) if w not in _FUNCTION_WORDS]
    return (len(words) >= 3 and not _CONTINUES.search(question)
            and not _POINTS_BACK.search(question))


def resolve_follow_up(question: str, history: Sequence[str]) -> str:
    """The question as searched: a follow-up borrows the topic of the question before it."""
    if not history or stands_alone(question):
        return question
    return f"{history[-1]} {question}"
