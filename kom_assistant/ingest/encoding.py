"""Bytes -> text for .txt and .md files: UTF-8, UTF-16 (with or without a byte order mark), or
the single-byte encodings Norwegian files come in, detected by charset-normalizer.

charset-normalizer alone takes short Norwegian cp1252 text for cp1250 ("Sřknad"), so it only
proposes: its candidates among the encodings a Norwegian file plausibly has are decoded, and
the one whose words are most often real Norwegian or English words wins.
"""

from __future__ import annotations

import codecs
import logging
import re

from ..errors import IngestError

log = logging.getLogger(__name__)

# Windows, ISO and old Mac and DOS code pages that write æ, ø and å.
CANDIDATE_ENCODINGS = ("cp1252", "iso8859_15", "latin_1", "mac_roman", "cp865", "cp850")
_WORD = re.compile(r"[^\W\d_]{2,}")


def decode_text(data: bytes, name: str) -> str:
    """The text of a .txt or .md file; raises IngestError for binary data or no text."""
    text = _decode(data, name)
    if not text.strip():
        raise IngestError(
            f"{name} inneholder ingen tekst. Sjekk at riktig fil er lagt i corpus/.",
            f"{name} contains no text. Check that the right file is in corpus/.",
        )
    return text


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom) and not data.startswith(codecs.BOM_UTF32_LE):
            return _strict(data[len(bom):], encoding, name)
    if (utf16 := _utf16_without_bom(data)) is not None:
        return _strict(data, utf16, name)
    if b"\x00" in data[:4096]:
        raise _binary(name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    single = _best_single_byte(data)
    if single is None:
        raise _binary(name)
    log.info("%s is not UTF-8; read as %s", name, single)
    return data.decode(single)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly Latin text has a zero in every other byte: the high byte."""
    head = data[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise _binary(name) from e


def _best_single_byte(data: bytes) -> str | None:
    """The candidate encoding whose reading has the most known words; None when
    charset-normalizer finds the bytes to be no text in any of them."""
    from charset_normalizer import from_bytes

    from .spelling import frequencies
    from .wordlist import norwegian_words

    proposed = [m.encoding for m in from_bytes(data, cp_isolation=list(CANDIDATE_ENCODINGS))]
    if not proposed:
        return None
    words_nb, words_en = norwegian_words(), frequencies("en")
    sample = data[:200_000]

    def known(encoding: str) -> int:
        words = _WORD.findall(sample.decode(encoding, errors="replace").lower())
        return sum(w in words_nb or w in words_en for w in words)

    # cp1252 first among equals: it is what Norwegian Windows files are.
    order = sorted(set(proposed), key=lambda e: CANDIDATE_ENCODINGS.index(e)
                   if e in CANDIDATE_ENCODINGS else len(CANDIDATE_ENCODINGS))
    return max(order, key=known)


def _binary(name: str) -> IngestError:
    return IngestError(
        f"{name} ser ut som en binærfil, ikke tekst. Lagre den som .txt (UTF-8) eller PDF.",
        f"{name} looks like a binary file, not text. Save it as .txt (UTF-8) or PDF.",
    )
