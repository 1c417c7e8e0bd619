"""Refusing text that is not language: random bytes read as Latin-1, letter soup, a watermark."""

import random

import pytest

from kom_assistant.errors import IngestError
from kom_assistant.ingest.quality import check_language, measure_text

from ..conftest import VEILEDER


def test_norwegian_english_and_ocr_damaged_text_pass():
    check_language(VEILEDER, "veileder.md")
    check_language("Victims of human trafficking have the right to shelter, health care and "
                   "legal aid while the police investigate.", "guide.txt")
    damaged = ("Det er vanskelig a fa innsikt i arenaene og metodene for utnyttelse. Dette gjgr "
               "at vi kan overse de alvorlige forholdene i ofrenes liv og konsekvensene.")
    assert measure_text(damaged).known_share > 0.8
    check_language(damaged, "strategi.txt")


def test_random_bytes_read_as_latin1_are_refused():
    noise = random.Random(1).randbytes(20_000).decode("latin-1")
    with pytest.raises(IngestError, match="ikke ut som tekst") as info:
        check_language(noise, "tilfeldig.txt")
    assert "tilfeldig.txt" in info.value.english and "known words" in info.value.english


def test_letter_soup_is_refused():
    rng = random.Random(2)
    letters = "abcdefghijklmnoprstuvæøå"
    soup = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))
                    for _ in range(2000))
    assert measure_text(soup).letter_share > 0.9  # letters alone do not make language
    with pytest.raises(IngestError, match="kjente ord"):
        check_language(soup, "suppe.txt")


def test_a_few_words_are_no_document():
    with pytest.raises(IngestError, match="nesten ingen tekst") as info:
        check_language("UTKAST - KONFIDENSIELT\n\nUTKAST", "vannmerke.pdf")
    assert "watermark" in info.value.english
