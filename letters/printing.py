"""One PDF for a print run: the stored PDFs of several letters, exactly as approved (never
rendered again), each starting on a new sheet of paper."""

from collections.abc import Iterable, Sequence
from io import BytesIO

from pypdf import PdfReader, PdfWriter

from .models import Letter


def combine_for_duplex(pdfs: Iterable[bytes]) -> bytes:
    """The PDFs one after the other. A PDF with an odd number of pages gets a blank page
    after it: printed double-sided, the next letter would otherwise start on the back of
    this one's last page, and go in the wrong envelope."""
    writer = PdfWriter()
    for pdf in pdfs:
        reader = PdfReader(BytesIO(pdf))
        for page in reader.pages:
            writer.add_page(page)
        if len(reader.pages) % 2:
            writer.add_blank_page()  # The size of the page before it.
    combined = BytesIO()
    writer.write(combined)
    return combined.getvalue()


def stored_pdf(letter: Letter) -> bytes:
    with letter.pdf.open("rb") as pdf:
        return pdf.read()


def print_run_pdf(letters: Sequence[Letter]) -> bytes:
    return combine_for_duplex(stored_pdf(letter) for letter in letters)
