"""Bytes -> text: UTF-8, UTF-16 with and without a byte order mark, and the single-byte code
pages Norwegian files come in; binary data is refused."""

import codecs
import random

import pytest

from kom_assistant.errors import IngestError
from kom_assistant.ingest.encoding import decode_text

TEXT = ("Søknad om oppholdstillatelse på grunn av menneskehandel. Ære være Østfold og Ålesund, "
        "der ofrene får hjelp.")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_with_and_without_byte_order_mark(encoding):
    assert decode_text(TEXT.encode(encoding), "x.txt") == TEXT


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "iso8859_15", "mac_roman", "cp865",
                                      "cp850"])
def test_single_byte_code_pages_are_told_apart(encoding):
    """charset-normalizer alone reads short Norwegian cp1252 as cp1250 ("Sřknad")."""
    assert decode_text(TEXT.encode(encoding), "x.txt") == TEXT


def test_short_windows_text():
    assert decode_text("Søknad om oppholdstillatelse på grunn av".encode("cp1252"), "x.txt") == (
        "Søknad om oppholdstillatelse på grunn av")


def test_binary_data_and_empty_text_are_refused():
    with pytest.raises(IngestError, match="binærfil"):
        decode_text(b"\x00\x01\x02binary", "x.bin")
    noise = random.Random(7).randbytes(20_000)
    with pytest.raises(IngestError, match="binærfil") as info:
        decode_text(noise.replace(b"\x00", b" "), "tilfeldig.txt")
    assert "tilfeldig.txt" in info.value.english
    with pytest.raises(IngestError, match="ingen tekst"):
        decode_text(codecs.BOM_UTF8 + b"  \n ", "tom.txt")
