"""PDF -> pages: every pypdf failure is that file's IngestError with a reason a maintainer can
act on; encrypted files that need no password open; printed page numbers are kept."""

import subprocess
import sys

import pytest

from kom_assistant.errors import IngestError
from kom_assistant.ingest.pdf import printed_page_numbers, read_pdf_pages

from ..pdfs import (
    make_encrypted_pdf,
    make_encrypted_pdf_without_id,
    make_flate_bomb_pdf,
    make_form_pdf,
    make_image_only_pdf,
    make_labelled_pdf,
    make_pdf,
    make_pdf_tripping_an_assertion,
    make_shapes_only_pdf,
)

PAGES = [
    "Tegn på tvangsarbeid\n\nArbeideren har ikke tilgang til egne identitetspapirer og har "
    "stor gjeld til rekrutterer.",
    "Hvem kontakter du\n\nVed mistanke om at et barn er utnyttet, kontakt barnevernet og "
    "politiet.",
    "Rettigheter\n\nAntatte ofre har rett til refleksjonsperiode, helsehjelp og et trygt "
    "botilbud.",
]


@pytest.fixture
def plain(tmp_path):
    return make_pdf(tmp_path / "plain.pdf", PAGES)


def test_aes256_with_an_owner_password_only_opens(tmp_path, plain):
    """The usual "no copying" PDF: AES-256 needs pypdf[crypto]; no password is needed to read."""
    pdf = make_encrypted_pdf(tmp_path / "r6.pdf", plain, user_password="",
                             owner_password="eier", algorithm="AES-256")
    pages = read_pdf_pages(pdf)
    assert [n for n, _ in pages] == [1, 2, 3] and "barnevernet" in pages[1][1]


def test_aes256_with_a_password_to_open_says_so(tmp_path, plain):
    pdf = make_encrypted_pdf(tmp_path / "locked.pdf", plain, algorithm="AES-256")
    with pytest.raises(IngestError, match="passordbeskyttet") as info:
        read_pdf_pages(pdf)
    assert "without a password" in info.value.english


def test_encryption_without_a_file_id_is_not_called_a_password(tmp_path, plain):
    with pytest.raises(IngestError, match="fil-ID") as info:
        read_pdf_pages(make_encrypted_pdf_without_id(tmp_path / "noid.pdf", plain))
    assert "passord" not in str(info.value).split("(")[0] and "file ID" in info.value.english


def test_flate_bomb_is_named_not_called_a_scan(tmp_path):
    with pytest.raises(IngestError, match="flate bomb") as info:
        read_pdf_pages(make_flate_bomb_pdf(tmp_path / "bomb.pdf"))
    assert "OCR" not in str(info.value) and "page 1" in info.value.english


def test_forms_pdf_is_named_not_called_a_scan(tmp_path):
    with pytest.raises(IngestError, match="skjema") as info:
        read_pdf_pages(make_form_pdf(tmp_path / "skjema.pdf"))
    assert "fillable form" in info.value.english and "OCR" not in str(info.value)


def test_scanned_images_and_drawn_shapes_are_told_apart(tmp_path):
    with pytest.raises(IngestError, match="skannede bilder"):
        read_pdf_pages(make_image_only_pdf(tmp_path / "scan.pdf"))
    with pytest.raises(IngestError, match="tegnet som figurer") as info:
        read_pdf_pages(make_shapes_only_pdf(tmp_path / "shapes.pdf"))
    assert "scanned" not in info.value.english


def test_an_assertion_inside_pypdf_is_the_files_problem(tmp_path):
    with pytest.raises(IngestError, match="skadet") as info:
        read_pdf_pages(make_pdf_tripping_an_assertion(tmp_path / "damaged.pdf"))
    assert "AssertionError" in str(info.value)
    assert isinstance(info.value.__cause__, AssertionError)  # the cause is kept


def test_printed_page_numbers_win_over_the_pdfs_own_count(tmp_path):
    """An excerpt printed as pages 49-54 is cited as 49-54, not 1-6."""
    pdf = make_pdf(tmp_path / "utdrag.pdf", PAGES * 2, footer="Side {n}", first_number=49)
    assert [n for n, _ in read_pdf_pages(pdf)] == [49, 50, 51, 52, 53, 54]
    # page labels of the PDF itself count too
    labelled = make_labelled_pdf(tmp_path / "labelled.pdf", PAGES, first_label=7)
    assert [n for n, _ in read_pdf_pages(labelled)] == [7, 8, 9]


def test_printed_page_numbers_need_agreement():
    assert printed_page_numbers(["tekst\n49", "tekst\n50", "tekst\n51"]) == [49, 50, 51]
    # a year in every footer, one stray number, front matter before page 1: positions stay
    assert printed_page_numbers(["Rapport 2023\ntekst", "Rapport 2023\ntekst"]) == [1, 2]
    assert printed_page_numbers(["tekst\n17", "tekst", "tekst", "tekst"]) == [1, 2, 3, 4]
    assert printed_page_numbers(["Forside", "Innhold", "tekst\n1", "tekst\n2"]) == [1, 2, 3, 4]


def test_pypdf_warnings_stay_off_the_terminal(tmp_path, plain):
    """A damaged cross-reference table makes pypdf warn as it repairs it; the user sees our
    messages only."""
    data = plain.read_bytes()
    start = data.rindex(b"startxref")
    broken = tmp_path / "xref.pdf"
    broken.write_bytes(data[:start] + b"startxref\n123\n%%EOF\n")
    code = ("import sys; from pathlib import Path; from kom_assistant.ingest.pdf import "
            "read_pdf_pages; print(len(read_pdf_pages(Path(sys.argv[1]))))")
    done = subprocess.run([sys.executable, "-c", code, str(broken)], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "3", done.stderr
    assert done.stderr == ""
    unquiet = subprocess.run([sys.executable, "-c", "import sys; from pypdf import PdfReader; "
                              "PdfReader(sys.argv[1]).pages[0].extract_text()", str(broken)],
                             capture_output=True, text=True, timeout=60)
    assert unquiet.stderr  # the test can fail: plain pypdf does warn on this file
