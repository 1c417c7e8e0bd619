"""A question's misspellings, mended against the words the sources use.

Frontline workers type fast, often on foreign keyboards: "dognet" or "doegnet" for "døgnet",
"Ostersjoradet" for "Østersjørådet", "naar" for "når", "menneskehandl" for "menneskehandel".
The keyword search folds æøå away, but the dense model reads "dognet" as another word, and
neither forgives a dropped or swapped letter. An unknown word becomes the sources' commonest
word with the same letters but for æøå (typed as "o", "a", "ae", "oe" or "aa"), else their
commonest word one edit away (a letter dropped, added, changed, or two swapped).

A question typed all in lower case gets its names and acronyms back ("kom" -> "KOM", "udi" ->
"UDI", "oslo" -> "Oslo"): the dense model reads case, and "kom" alone is the verb "came".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..ingest.language import WORD
from ..ingest.spelling import frequencies
from .keyword import fold

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_EDIT_LENGTH = 5  # shorter words have too many neighbours one edit away
MAX_EDIT_LENGTH = 40  # longer than any real compound: pasted noise, not worth the edits
MIN_COUNT = 2  # a word the sources use once may itself be a typo or an OCR slip
# Restore a capital when the sources write the word so this many times as often as in lower
# case (mid-sentence, where a capital means a name, not a sentence start).
CASE_RATIO = 3


@dataclass(frozen=True)
class Lexicon:
    counts: dict[str, int]  # lower-case words, as the sources write them
    by_fold: dict[str, tuple[str, int]]  # folded -> (the commonest spelling, its count)
    cased: dict[str, str]  # lower-case word -> how the sources write it, when that is a name

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Lexicon:
        texts = list(texts)
        counts = Counter(w.lower() for text in texts for w in WORD.findall(text))
        by_fold: dict[str, tuple[str, int]] = {}
        for word, n in counts.items():
            key = fold(word)
            if n > by_fold.get(key, ("", 0))[1]:
                by_fold[key] = (word, n)
        return cls(dict(counts), by_fold, _capitalised(texts))

    def mend(self, word: str, known: Callable[[str], bool] = lambda w: False) -> str:
        """`word` as the sources spell it; unchanged when known or when no mend is clear.
        `known` tells a correct word the sources happen not to use (not to be "corrected")."""
        lower, key = word.lower(), fold(word)
        if word.isupper() or len(word) < 2:  # acronyms; "a-krim" is no "å"
            return word
        # Only æøå differ: the sources' spelling, unless the typed one is common there too
        # (OCR left some "pa" and "apen" among the "på" and "åpen"). Letters typed are never
        # taken away: "før" is not the far commoner "for".
        for variant in _spelled_out(key) if lower.isascii() else ():
            if variant in self.by_fold and self.by_fold[variant][1] > 3 * self.counts.get(lower, 0):
                return _same_case(self.by_fold[variant][0], word)
        if lower in self.counts:
            return word
        if not MIN_EDIT_LENGTH <= len(key) <= MAX_EDIT_LENGTH or known(lower):
            return word
        found = [self.by_fold[e] for e in _one_edit(key) if e in self.by_fold]
        best = max(found, key=lambda f: f[1], default=("", 0))
        return _same_case(best[0], word) if best[1] >= MIN_COUNT else word

    def mend_text(self, text: str, known: Callable[[str], bool] = lambda w: False) -> str:
        return WORD.sub(lambda m: self.mend(m.group(), known), text)

    def restore_case(self, text: str) -> str:
        """A question typed with no capitals at all (so case tells nothing) with the sources'
        names and acronyms capitalised, and its first letter."""
        if not text.islower():
            return text
        text = WORD.sub(lambda m: self.cased.get(m.group(), m.group()), text)
        return text[:1].upper() + text[1:]


def _capitalised(texts: Iterable[str]) -> dict[str, str]:
    """Words the sources capitalise mid-sentence far more often than not: names, acronyms."""
    forms: Counter[str] = Counter()
    for text in texts:
        for m in WORD.finditer(text):
            at = m.start()
            # After "word ", ", " or "TF-": not a sentence, line or heading start.
            if at >= 2 and text[at - 1] in " -" and (text[at - 2].isalnum() or text[at - 2] == ","):
                forms[m.group()] += 1
    best: dict[str, tuple[str, int]] = {}
    for form, n in forms.items():
        if not form.islower() and n > best.get(form.lower(), ("", 0))[1]:
            best[form.lower()] = (form, n)
    return {lower: form for lower, (form, n) in best.items()
            if len(lower) > 1 and n >= MIN_COUNT and n >= CASE_RATIO * forms.get(lower, 0)}


def _spelled_out(key: str) -> list[str]:
    """A folded word, and the same with "aa" and "oe" read as the letters they spell on a
    keyboard without them ("naar" -> "nar", the fold of "når"; "soeker" -> "soker")."""
    variants = [key, key.replace("aa", "a"), key.replace("oe", "o")]
    return list(dict.fromkeys([*variants, variants[1].replace("oe", "o")]))


def _one_edit(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS}) - {word}


def _same_case(mended: str, typed: str) -> str:
    return mended[:1].upper() + mended[1:] if typed[:1].isupper() else mended


def known_norwegian(word: str) -> bool:
    """A common Norwegian (Bokmål) word: wordfreq's Zipf frequency 3 or more (once per
    million words), in the table the OCR repair uses."""
    return frequencies("nb").get(word, 0.0) >= 1e-6
