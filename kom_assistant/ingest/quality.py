"""Is a document's text language? Random bytes read as Latin-1, a PDF whose fonts map to the
wrong glyphs, or a page of watermarks must not become a document that wins nonsense queries.

Two measures, both with a wide margin: the share of letters among the visible characters, and
the share of words (two letters or more) found in the Norwegian bokmål word list or among
English words. The bundled sources, OCR-damaged ones included, stand far above the limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import IngestError
from .spelling import frequencies
from .wordlist import norwegian_words

MIN_WORDS = 8  # fewer words than this after clean-up is no document
MIN_LETTER_SHARE = 0.5  # of the visible characters
MIN_KNOWN_SHARE = 0.35  # of the words
_SAMPLE = 20_000  # words looked up; enough to judge, quick for a 5,000-page PDF
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class TextQuality:
    words: int
    letter_share: float
    known_share: float


def measure_text(text: str) -> TextQuality:
    visible = [c for c in text[: _SAMPLE * 8] if not c.isspace()]
    letters = sum(c.isalpha() for c in visible) / max(1, len(visible))
    words = [w.lower() for w in _WORD.findall(text)]
    sample = words[:_SAMPLE]
    nb, en = norwegian_words(), frequencies("en")
    known = sum(w in nb or w in en for w in sample) / max(1, len(sample))
    return TextQuality(len(words), letters, known)


def check_language(text: str, name: str) -> TextQuality:
    """Raise IngestError unless `text` (a document's cleaned text) reads as language."""
    quality = measure_text(text)
    if quality.words < MIN_WORDS:
        raise IngestError(
            f"{name} har nesten ingen tekst etter opprydding ({quality.words} ord): bare "
            f"sidetall, topp- og bunntekst eller vannmerke går igjen. Sjekk at det er riktig "
            f"fil, og at teksten kan markeres og kopieres i en PDF-leser.",
            f"{name} holds almost no text after clean-up ({quality.words} words): only page "
            f"numbers, headers, footers or a watermark remain. Check that it is the right file "
            f"and that its text can be selected and copied in a PDF reader.",
        )
    if quality.letter_share < MIN_LETTER_SHARE or quality.known_share < MIN_KNOWN_SHARE:
        raise IngestError(
            f"{name} ser ikke ut som tekst på norsk eller engelsk ({quality.letter_share:.0%} "
            f"bokstaver, {quality.known_share:.0%} kjente ord): filen er trolig binær, har feil "
            f"tegnkoding eller en PDF med skrift som ikke kan leses ut. Lagre den som .txt "
            f"(UTF-8) eller eksporter PDF-en på nytt.",
            f"{name} does not read as Norwegian or English text ({quality.letter_share:.0%} "
            f"letters, {quality.known_share:.0%} known words): it is probably binary, in the "
            f"wrong encoding, or a PDF whose fonts cannot be read out. Save it as .txt (UTF-8) "
            f"or export the PDF again.",
        )
    return quality
