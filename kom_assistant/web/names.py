"""Which capitalised words may be a person's name, for the personal-data check (privacy.py).

A word is no name when the sources use it or when it is a common word. The bokmål word list
(ingest/wordlist.py) also holds given names and surnames ("Ola", "Kari", "Hansen"), always
capitalised, so a word the list has only with a capital counts as a name here, not as a word.
Places the list has the same way ("Drammen") cannot be told from names by the list alone;
privacy.py lets a single one pass after "i", "in", "på", "fra" or "from".

English capitalises more than names: months, nationalities, countries, titles of laws ("October",
"Romanian", "Spain", "Penal Code"). These, and the English words the sources' vocabulary and
glossary know (search/), are no names, even where the bokmål list has one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path

from ..ingest.language import WORD
from ..ingest.wordlist import BOKMAAL, norwegian_words
from ..search.glossary import glossary
from ..search.vocabulary import VOCABULARY_FILE

# English questions name "the Salvation Army" and "Monday"; the commonest English words are
# words, not names (their few given names, "John", are in the bokmål list as names).
_ENGLISH_WORDS = 10_000
# Months, weekdays and the platforms where young people are approached.
_NO_NAMES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday snapchat tiktok instagram "
    "facebook whatsapp telegram discord messenger youtube finn.no".split())
# Nationalities and languages: "Romanian", "Ukrainians", "Finnish", "Vietnamese".
_NATIONALITY = ("ian", "ians", "ish", "ese", "ean", "eans")

NameCheck = Callable[[str], bool]


@cache
def proper_nouns(path: Path = BOKMAAL) -> frozenset[str]:
    """Lower-case forms the word list has only capitalised: names of people and places.
    Empty without the full list (the fallback list carries no case)."""
    if not path.is_file():
        return frozenset()
    lower, capital = set(), set()
    with path.open(encoding="latin-1") as f:
        for line in f:
            word = line.strip()
            if word[:1].isupper():
                capital.add(word.lower())
            elif word:
                lower.add(word)
    return frozenset(capital - lower)


@cache
def english_words() -> frozenset[str]:
    """The commonest English words (given names among them: "john", "maria")."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", _ENGLISH_WORDS))


@cache
def english_domain_words() -> frozenset[str]:
    """English words that are no names in a question here: the vocabulary's and glossary's
    English (countries included), months, weekdays and social media."""
    lines = VOCABULARY_FILE.read_text(encoding="utf-8").splitlines()
    english = " ".join(line.split("\t")[1] for line in lines
                       if "\t" in line and not line.startswith("#"))
    english += " " + " ".join(glossary().english)
    return frozenset(w.lower() for w in WORD.findall(english)) | _NO_NAMES


def make_name_check(source_words: Collection[str], common: Collection[str] | None = None,
                    names: Collection[str] | None = None,
                    english: Collection[str] | None = None) -> NameCheck:
    """A test of one capitalised word (as typed): may it be a person's name?

    `source_words` are the sources' words in lower case (the index's lexicon). `common`,
    `names` and `english` replace the bokmål words, the bokmål names and the English words
    (tests)."""
    common = norwegian_words() if common is None else common
    names = proper_nouns() if names is None else names
    domain = english_domain_words() if english is None else frozenset()
    english = english_words() if english is None else english

    def is_name(word: str) -> bool:
        if 2 * sum(c.isupper() for c in word) > len(word):  # "HTSOs", "ECtHR": acronyms
            return False
        lower = word.lower()
        # The word as typed first ("Lars"), then as a genitive ("Olas" is Ola's).
        for form in (lower, lower[:-1]) if lower.endswith("s") and len(lower) > 2 else (lower,):
            if form in source_words or form in domain:
                return False
            if form in names:
                return True
        if lower.endswith(_NATIONALITY):  # and no name the list knows ("Sebastian")
            return False
        return not (lower in common or lower in english)

    return is_name
