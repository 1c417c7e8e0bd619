"""PDF -> raw pages with pypdf, numbered as printed.

Whatever pypdf raises while reading one file becomes that file's IngestError, saying why in terms
a maintainer can act on: a password, encryption without a file ID, a compressed stream that
unpacks past pypdf's limit (a flate bomb), text held only in form fields, scanned images. pypdf's
own warnings are kept out of the user's terminal.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import IngestError

# A PDF with less text than this per page is taken as holding no text layer.
MIN_CHARS_PER_PAGE = 20
# pypdf logs through "pypdf.*" loggers; without a handler Python prints them on stderr.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

PageCallback = Callable[[int, int], Any]  # (pages read, pages in the file)


def read_pdf_pages(path: Path, on_page: PageCallback | None = None) -> list[tuple[int, str]]:
    """(page number, raw text) for each page; numbers as printed where the PDF's pages carry
    consistent printed numbers that differ from their position (an excerpt: printed 49-54)."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    name = path.name
    page = 0
    try:
        with _pypdf_quiet():
            reader = PdfReader(path)
            _decrypt(reader, name)
            total = len(reader.pages)
            texts = []
            for page, pdf_page in enumerate(reader.pages, start=1):
                texts.append(pdf_page.extract_text() or "")
                if on_page is not None:
                    on_page(page, total)
            labels = _page_labels(reader, total)
            forms = _form_fields(reader) if _too_little_text(texts) else 0
            images = _has_images(reader) if _too_little_text(texts) else False
    except IngestError:
        raise
    except FileNotDecryptedError as e:
        raise _password_error(name) from e
    except DependencyError as e:
        raise IngestError(
            f"{name} er kryptert med AES, og programmet mangler pakken som dekrypterer det. "
            f"Installer den med: pip install 'pypdf[crypto]'.",
            f"{name} is AES-encrypted and the package that decrypts it is missing. "
            f"Install it with: pip install 'pypdf[crypto]'.",
        ) from e
    except LimitReachedError as e:
        raise IngestError(
            f"{name} har en komprimert del som pakkes ut til mer enn grensen (en «flate bomb», "
            f"side {page or 1}): filen er skadet eller laget for å bruke opp minnet, og er ikke "
            f"lest. Eksporter PDF-en på nytt fra originalen.",
            f"{name} holds a compressed stream that unpacks past the limit (a flate bomb, page "
            f"{page or 1}): the file is damaged or made to exhaust memory, and was not read. "
            f"Export the PDF again from the original.",
        ) from e
    except Exception as e:  # pypdf raises many kinds (AssertionError, KeyError, ...) on damage
        detail = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        where, where_en = (f", side {page}", f", page {page}") if page else ("", "")
        raise IngestError(
            f"{name} er skadet og kan ikke leses som PDF ({detail}{where}). Last ned eller "
            f"eksporter PDF-en på nytt.",
            f"{name} is damaged and cannot be read as a PDF ({detail}{where_en}). Download or "
            f"export the PDF again.",
        ) from e
    if not texts:
        raise IngestError(f"{name} har ingen sider.", f"{name} has no pages.")
    if _too_little_text(texts):
        raise _no_text_error(name, texts, forms, images)
    numbers = labels or printed_page_numbers(texts)
    return list(zip(numbers, texts, strict=True))


@contextmanager
def _pypdf_quiet() -> Iterator[None]:
    """pypdf's warnings ("Multiple definitions in dictionary", ...) say nothing a maintainer
    can act on; the errors that matter are raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _decrypt(reader: Any, name: str) -> None:
    """Open an encrypted PDF that needs no password to read (an owner password only)."""
    if not reader.is_encrypted:
        return
    if not reader.trailer.get("/ID"):
        raise IngestError(
            f"{name} er kryptert, men mangler fil-ID-en krypteringen bygger på (skadet "
            f"kryptering), så den kan ikke åpnes selv uten passord. Åpne den i en PDF-leser og "
            f"lagre eller skriv den ut som en ny PDF uten kryptering.",
            f"{name} is encrypted but lacks the file ID its encryption rests on (damaged "
            f"encryption), so it cannot be opened even without a password. Open it in a PDF "
            f"reader and save or print it as a new PDF without encryption.",
        )
    if not reader.decrypt(""):
        raise _password_error(name)


def _password_error(name: str) -> IngestError:
    return IngestError(
        f"{name} er kryptert (passordbeskyttet). Lagre en versjon uten passord og legg den inn "
        f"på nytt.",
        f"{name} is encrypted (password protected). Save a copy without a password and add "
        f"that.",
    )


def _too_little_text(texts: list[str]) -> bool:
    return sum(len(t.strip()) for t in texts) < MIN_CHARS_PER_PAGE * max(1, len(texts))


def _no_text_error(name: str, texts: list[str], forms: int, images: bool) -> IngestError:
    chars = sum(len(t.strip()) for t in texts)
    if forms:
        return IngestError(
            f"{name} er et utfyllbart skjema: teksten står i {forms} skjemafelt, ikke på sidene "
            f"({chars} tegn på {len(texts)} sider). Skriv ut det utfylte skjemaet til en ny PDF "
            f"(«flat ut» feltene) og legg den inn.",
            f"{name} is a fillable form: its text is in {forms} form fields, not on the pages "
            f"({chars} characters on {len(texts)} pages). Print the filled-in form to a new PDF "
            f"(flatten the fields) and add that.",
        )
    if images:
        return IngestError(
            f"{name} har ikke et tekstlag (skannede bilder). Kjør OCR på PDF-en først "
            f"(for eksempel med ocrmypdf) og legg den inn på nytt.",
            f"{name} has no text layer (scanned images). Run OCR on the PDF first "
            f"(for example with ocrmypdf) and add it again.",
        )
    return IngestError(
        f"{name} har nesten ingen tekst ({chars} tegn på {len(texts)} sider) og ingen bilder: "
        f"teksten er trolig tegnet som figurer. Eksporter dokumentet på nytt som PDF med tekst, "
        f"eller kjør OCR på det (for eksempel med ocrmypdf).",
        f"{name} holds almost no text ({chars} characters on {len(texts)} pages) and no "
        f"images: its text is probably drawn as shapes. Export the document again as a PDF "
        f"with text, or run OCR on it (for example with ocrmypdf).",
    )


def _form_fields(reader: Any) -> int:
    """How many form fields the PDF has (filled in or not)."""
    try:
        return len(reader.get_fields() or {})
    except Exception:  # a damaged form dictionary: no form to speak of
        return 0


def _has_images(reader: Any) -> bool:
    for page in reader.pages:
        try:
            if page.images:
                return True
        except Exception:  # an image pypdf cannot decode is still an image
            return True
    return False


def _page_labels(reader: Any, total: int) -> list[int]:
    """The PDF's own page labels (/PageLabels), when they are plain rising numbers that differ
    from the pages' positions; else []."""
    if "/PageLabels" not in reader.root_object:
        return []
    labels = list(reader.page_labels)
    if len(labels) != total or not all(label.isdigit() for label in labels):
        return []
    numbers = [int(label) for label in labels]
    rising = all(b > a for a, b in zip(numbers, numbers[1:], strict=False))
    return numbers if rising and numbers != list(range(1, total + 1)) else []


_NUMBER_LINE = re.compile(r"(?:side\s+|s\.\s*|page\s+|-\s*)?(\d{1,4})(?:\s*(?:/|av|of)\s*\d{1,4})?"
                          r"(?:\s*-)?", re.IGNORECASE)
_NUMBER_FIRST = re.compile(r"(\d{1,4})\s+\D.*")
_NUMBER_LAST = re.compile(r".*\D\s+(\d{1,4})")


def printed_page_numbers(texts: list[str]) -> list[int]:
    """Page numbers as printed: when the first or last lines of enough pages carry a number
    that is the page's position plus one constant (a chapter printed as pages 49-54), every
    page is numbered by it; otherwise by position. Front matter before page 1 (a constant
    below zero) keeps the positions, so numbers stay unique and start at 1 or above."""
    offsets: Counter[int] = Counter()
    for position, text in enumerate(texts, start=1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        found = set()
        for line in lines[:2] + lines[-2:]:
            for pattern in (_NUMBER_LINE, _NUMBER_FIRST, _NUMBER_LAST):
                if m := pattern.fullmatch(line):
                    found.add(int(m.group(1)) - position)
        offsets.update(found)
    positions = list(range(1, len(texts) + 1))
    if not offsets:
        return positions
    offset, support = offsets.most_common(1)[0]
    if offset <= 0 or support < 2 or support < 0.4 * len(texts):
        return positions
    return [p + offset for p in positions]
