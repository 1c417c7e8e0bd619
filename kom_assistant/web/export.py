"""A conversation as Markdown or PDF: questions, answers and the passages they cite.

For trainers who want a record of a workshop session. Only what the user downloads is
written, on their own device; nothing is stored on the server.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ..i18n import pages_label, t
from ..models import Answer, Citation

# fpdf2's core fonts cover Latin-1 (æøå included); these common characters are not in it.
_LATIN1_REPLACEMENTS = str.maketrans({
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "…": "...", "‘": "'", "’": "'",
    "‚": "'", "“": '"', "”": '"', "„": '"', "•": "-", "·": "-", "€": "EUR", "\u00a0": " ",
    "\u200b": "", "ﬁ": "fi", "ﬂ": "fl", "→": "->", "≥": ">=", "≤": "<=", "✓": "v",
})


def citation_line(c: Citation, lang: str) -> str:
    chunk = c.chunk
    pages = pages_label(chunk.page_start, chunk.page_end, lang)
    parts = [chunk.document_title]
    if chunk.edition:
        parts.append(t("edition", lang, edition=chunk.edition))
    if chunk.section:
        parts.append(chunk.section)
    parts.append(pages)
    if chunk.status == "archived":
        parts.append(t("archived_edition", lang))
    return f"[{c.n}] " + ", ".join(parts)


def session_markdown(answers: Sequence[Answer], lang: str = "nb",
                     today: date | None = None) -> str:
    day = (today or date.today()).isoformat()
    lines = [f"# {t('export_title', lang)}", "", t("export_exported", lang, date=day), ""]
    for i, answer in enumerate(answers, start=1):
        lines += [f"## {i}. {t('export_question', lang)}", "", answer.question, "",
                  f"### {t('export_answer', lang)}"
                  + (f" ({t('export_refused', lang)})" if answer.refused else ""), "",
                  answer.text, ""]
        if answer.citations:
            lines += [f"### {t('export_sources', lang)}", ""]
            for c in answer.citations:
                lines.append(f"- {citation_line(c, lang)}")
                lines.append(f"  > {_one_line(c.quote)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def session_pdf(answers: Sequence[Answer], lang: str = "nb", today: date | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(t("export_title", lang))
    pdf.add_page()

    def write(text: str, size: float = 10.5, style: str = "", gap: float = 2) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, size * 0.5, to_latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    day = (today or date.today()).isoformat()
    write(t("export_title", lang), 18, "B", 3)
    write(t("export_exported", lang, date=day), 9, "I", 6)
    for i, answer in enumerate(answers, start=1):
        write(f"{i}. {t('export_question', lang)}: {answer.question}", 13, "B", 2)
        label = t("export_answer", lang)
        if answer.refused:
            label += f" ({t('export_refused', lang)})"
        write(label, 11, "B", 1)
        write(answer.text, 10.5, "", 3)
        if answer.citations:
            write(t("export_sources", lang), 11, "B", 1)
            for c in answer.citations:
                write(citation_line(c, lang), 9.5, "B", 0.5)
                write(f'"{_one_line(c.quote)}"', 9.5, "I", 2)
        pdf.ln(4)
    return bytes(pdf.output())


def to_latin1(text: str) -> str:
    """What the core PDF fonts can draw: common typography mapped, anything else as "?"."""
    return text.translate(_LATIN1_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
