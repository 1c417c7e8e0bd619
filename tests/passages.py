"""Hand-made hits and keyword statistics for answer and answerability tests."""

from kom_assistant.models import Chunk, Hit
from kom_assistant.search.keyword import KeywordIndex


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
