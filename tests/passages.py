"""Hand-made hits and keyword statistics for answer and answerability tests."""

from kom_assistant.answer.answerability import ANSWERABLE_FEATURES
from kom_assistant.answer.model import AnswerModels, LinearModel
from kom_assistant.answer.select import FEATURES, RANKED_FEATURES
from kom_assistant.models import Chunk, Hit
from kom_assistant.search.keyword import KeywordIndex

# Fixed weights for tests of how an answer is composed, independent of what training learns:
# the hand rules of before training (a sentence's share of the question's terms, its closeness,
# its hit's rank, ...; refuse when the best passage holds under 35% of the question's terms or
# lacks the date or number asked for).
_SENTENCE = {"coverage": 1.0, "prior": 0.25, "about": 0.3, "closeness": 0.5,
             "numeric_digit": 0.1, "list_enumeration": 0.2, "asks_found": 0.15}
RULES = AnswerModels(
    sentence=LinearModel(RANKED_FEATURES, tuple(4 * _SENTENCE.get(f, 0.0) for f in FEATURES)
                         + (0.0,) * len(FEATURES), -3.0),
    answerable=LinearModel(ANSWERABLE_FEATURES, tuple(
        20.0 if f in ("support", "answer_type_found") else 0.0 for f in ANSWERABLE_FEATURES),
        -27.0),
    threshold=0.5, support_line=0.0)


def hits(*texts: str, title: str = "Nyhetsbrev", year: int = 2023) -> list[Hit]:
    """One hit per text, ranked in order, from one document."""
    return [Hit(Chunk(id=f"c{i}", document_id="d", document_title=title, source="d.txt",
                      section="", page_start=1, page_end=1, char_start=0, char_end=len(t),
                      text=t, year=year), 1.0 / i, i)
            for i, t in enumerate(texts, start=1)]


def keyword_index(texts: list[str]) -> KeywordIndex:
    """The texts among filler sentences, so that word rarity means something."""
    filler = ["KOM arbeider mot menneskehandel.", "Politiet etterforsker menneskehandel.",
              "Strategien har tiltak for barn.", "UDI behandler søknader om opphold."] * 10
    return KeywordIndex.build([*texts, *filler], [*texts, *filler])
