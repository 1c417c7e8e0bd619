"""PDFs made by the tests: text pages with running header and footer, encrypted, corrupt,
image-only."""

from __future__ import annotations

from pathlib import Path


def make_pdf(path: Path, pages: list[str], header: str = "Veileder for identifisering",
             footer: str = "KOM {n}") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for n, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 8, header)
        pdf.ln(12)
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
        pdf.set_y(-20)
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 8, footer.format(n=n))
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path, source: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt("hemmelig")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def make_image_only_pdf(path: Path, pages: int = 2) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 150, 200, style="F")  # a "scan": ink, no text layer
    pdf.output(str(path))
    return path
