"""Session export: Markdown and PDF with the questions, answers and cited passages."""

from __future__ import annotations

import io
from datetime import date

from kom_assistant.models import Answer, Chunk, Citation
from kom_assistant.web.export import session_markdown, session_pdf, to_latin1

CHUNK = Chunk("tilstand-1", "tilstandsrapport-2023", "KOM Tilstandsrapport 2023", "t.txt",
              "Oppholdstillatelse", 36, 37, 0, 100,
              "Refleksjonsperiode er en 6 måneders tillatelse som ikke kan fornyes.",
              year=2024, edition="2023")
OLD = Chunk("gammel-1", "veileder-2019", "Veileder – første utgave", "v.pdf", "", 4, 4, 0, 10,
            "Tegn på tvangsarbeid …", edition="2019", status="archived")
ANSWER = Answer(
    "Hva er refleksjonsperiode – og hvor lenge varer den?",
    "Dette sier kildene (KOM Tilstandsrapport 2023, 2024):\n\n"
    "- Refleksjonsperiode er en 6 måneders tillatelse som ikke kan fornyes. [1]\n"
    "- «Tegn på tvangsarbeid …» [2]",
    (Citation(1, CHUNK, "Refleksjonsperiode er en 6 måneders tillatelse som ikke kan fornyes."),
     Citation(2, OLD, "Tegn på tvangsarbeid …")),
    False,
)
REFUSED = Answer("Hvor lang straff fikk de i Lime-saken?",
                 "Jeg finner ikke svar på dette i kildene.", (), True)


def test_markdown_has_questions_answers_and_citations() -> None:
    md = session_markdown([ANSWER, REFUSED], "nb", today=date(2026, 11, 23))
    assert md.startswith("# Samtale med KOM-assistenten")
    assert "2026-11-23" in md
    assert ANSWER.question in md and REFUSED.question in md
    assert "6 måneders tillatelse som ikke kan fornyes. [1]" in md
    assert "[1] KOM Tilstandsrapport 2023, utgave 2023, Oppholdstillatelse, s. 36–37" in md
    assert "Eldre utgave" in md  # the archived edition is labelled
    assert "Ikke besvart fra kildene" in md


def test_markdown_in_english() -> None:
    md = session_markdown([ANSWER], "en")
    assert "## 1. Question" in md and "pp. 36–37" in md and "### Sources" in md


def test_pdf_opens_and_holds_the_question_text() -> None:
    from pypdf import PdfReader

    data = session_pdf([ANSWER, REFUSED], "nb")
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Hva er refleksjonsperiode - og hvor lenge varer den?" in text
    assert "måneders" in text and "KOM Tilstandsrapport 2023" in text
    assert "Lime-saken" in text


def test_pdf_survives_characters_outside_latin1() -> None:
    odd = Answer("Hva med “anførsel” → og ✓ og 漢字?", "Svar … [1]", (), False)
    assert session_pdf([odd], "en").startswith(b"%PDF")


def test_to_latin1_maps_typography_and_keeps_norwegian_letters() -> None:
    assert to_latin1("Æ Ø Å æ ø å «sitat» – … ’") == "Æ Ø Å æ ø å «sitat» - ... '"
    assert to_latin1("漢") == "?"
