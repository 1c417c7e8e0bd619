"""PDFs made by the tests: text pages with running header and footer, encrypted (RC4, AES-256
with an owner password only, without a file ID), corrupt, scanned (an image, no text layer),
a flate bomb, a fillable form, a watermark on every page, and pages printed with other
numbers than their position."""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path


def make_pdf(path: Path, pages: list[str], header: str = "Veileder for identifisering",
             footer: str = "KOM {n}", first_number: int = 1) -> Path:
    """One page per text; `footer` is formatted with the printed page number n, which starts
    at `first_number` (an excerpt printed as pages 49-54)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for n, text in enumerate(pages, start=first_number):
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


def make_encrypted_pdf(path: Path, source: Path, user_password: str = "hemmelig",
                       owner_password: str | None = None, algorithm: str = "RC4-128") -> Path:
    """`source` encrypted; with user_password="" anyone may read it (an owner password only,
    the usual "no copying, no printing" PDF)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password, owner_password, algorithm=algorithm)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def make_encrypted_pdf_without_id(path: Path, source: Path) -> Path:
    """Encrypted with no password to open, but the trailer's /ID, which the key is derived
    from, is gone: no reader can decrypt it."""
    buffer = io.BytesIO()
    make_encrypted_pdf(path, source, user_password="", owner_password="eier")
    data = re.sub(rb"/ID\s*\[[^\]]*\]", b"", path.read_bytes())
    buffer.write(data)
    path.write_bytes(buffer.getvalue())
    return path


def make_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A "scan": each page one image, no text layer."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("L", (120, 160), color=200)
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(image, x=20, y=20, w=150)
    pdf.output(str(path))
    return path


def make_shapes_only_pdf(path: Path, pages: int = 2) -> Path:
    """Ink drawn as shapes: neither text nor an image."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 150, 200, style="F")
    pdf.output(str(path))
    return path


def make_watermark_pdf(path: Path, pages: int = 4, mark: str = "UTKAST - KONFIDENSIELT") -> Path:
    """Every page holds the same line and nothing else."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=40)
        pdf.cell(0, 40, mark)
    pdf.output(str(path))
    return path


def _raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from numbered objects (1 is the catalog), with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, start)
    return out


def _stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + \
            b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def make_flate_bomb_pdf(path: Path, megabytes: int = 100) -> Path:
    """One page whose content stream is ~100 KB compressed and `megabytes` unpacked."""
    content = b"BT /F1 12 Tf 72 720 Td (Hei) Tj ET\n" + b" " * (megabytes * 1_000_000)
    path.write_bytes(_raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content, compress=True),
        _FONT,
    ]))
    return path


def make_form_pdf(path: Path, value: str = "Kari har arbeidet uten lonn i tre ar") -> Path:
    """A fillable form: the page shows a label of a few characters, the text is in a field."""
    label = b"BT /F1 12 Tf 72 720 Td (Navn og sak:) Tj ET"
    path.write_bytes(_raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>",
        _stream(label),
        _FONT,
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (sak) /V (" + value.encode() +
        b") /Rect [72 600 540 700] /P 3 0 R >>",
    ]))
    return path


def make_labelled_pdf(path: Path, pages: list[str], first_label: int) -> Path:
    """Pages whose /PageLabels number them from `first_label`, with no number printed."""
    from pypdf import PdfWriter

    source = make_pdf(path, pages, footer="Veileder {n}")
    writer = PdfWriter(clone_from=source)
    writer.set_page_label(0, len(pages) - 1, style="/D", start=first_label)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def make_pdf_tripping_an_assertion(path: Path) -> Path:
    """A damaged PDF on which pypdf fails an `assert` of its own (AssertionError, not one of
    its PdfReadErrors) while listing the pages: the cross-reference stream says the page sits in
    an object stream, and the object it names is a plain stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        None,  # object 3, the page: "in object stream 4"
        _stream(b"BT /F1 12 Tf 72 720 Td (Hei) Tj ET").replace(b"<<", b"<< /Type /XObject", 1),
    ]
    out, offsets = b"%PDF-1.5\n", {}
    for number, body in enumerate(objects, start=1):
        if body is not None:
            offsets[number] = len(out)
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    rows = b"\x00\x00\x00\x00\x00\xff\xff"  # object 0: free
    for number in range(1, 6):
        if number == 3:
            rows += b"\x02" + (4).to_bytes(4, "big") + (0).to_bytes(2, "big")
        else:
            rows += b"\x01" + offsets.get(number, xref_at).to_bytes(4, "big") + b"\x00\x00"
    out += (b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % len(rows)) + rows + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    path.write_bytes(out)
    return path


GUIDE_SECTIONS = (
    ("1. Innledning", "Veilederen hjelper ansatte i asylmottak å kjenne igjen mulige ofre for "
     "menneskehandel. Den bygger på erfaringer fra mottakene, fra politiet og fra "
     "Utlendingsdirektoratet. Ansatte møter beboere hver dag og ser ofte tegn som andre ikke "
     "ser. Veilederen forklarer hva du ser etter, hva du gjør og hvem du kontakter."),
    ("2. Tegn og indikatorer", "Det finnes mange tegn. Noen er tydelige, andre er vanskelige å "
     "se. Ingen av tegnene er bevis i seg selv, men flere tegn sammen gir grunn til mistanke."),
    ("2.1 Tegn på tvangsarbeid", "Beboeren arbeider lange dager uten lønn, har gjeld til en "
     "rekrutterer og får ikke beholde passet sitt. Arbeidsgiveren henter beboeren om morgenen "
     "og bringer ham tilbake sent om kvelden. Beboeren virker sliten og redd, og vil ikke "
     "fortelle hvor han arbeider eller hvem som betaler ham."),
    ("2.3 Tegn på menneskehandel hos barn", "Barnet virker redd, har ikke egne papirer og blir "
     "hentet av ukjente voksne. Barnet forsvinner fra mottaket i perioder, har penger eller "
     "klær det ikke kan forklare, og svarer som om svarene er innøvd. Ved mistanke om at et barn "
     "er utnyttet, skal barnevernet og politiet alltid varsles."),
)


def make_guide_pdf(path: Path, title: str = "Veileder for ansatte i asylmottak 2026") -> Path:
    """A guide as word processors export it: numbered headings, and no blank line between
    paragraphs in the text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for heading, body in GUIDE_SECTIONS:
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path
