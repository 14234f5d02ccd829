"""What a printed letter looks like: letterhead, envelope window, footer, text as typed, and
a tagged PDF (PDF/UA-1)."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from brunswick.school.models import SchoolSettings
from letters.services import letter_preview_pdf
from tests.letters.helpers import warning_letter

pytestmark = pytest.mark.django_db

MM_PER_POINT = 25.4 / 72
LONG_SUMMARY = "\n\n".join(
    ["The messages named a teacher, questioned her work in front of the whole group and "
     "asked other parents to complain. When parents asked for it to stop, more followed."] * 12
)  # fmt: skip


@pytest.fixture(autouse=True)
def school(db) -> SchoolSettings:
    school = SchoolSettings.current()
    school.address = "Benhill Road\nLondon SE5 7RD"
    school.phone = "020 7525 9020"
    school.signatory_name = "Ms Jane Adeyemi"
    school.save()
    return school


def pdf_file(slt, tmp_path: Path, **draft) -> tuple[Path, object]:
    letter, _report = warning_letter(slt, **draft)
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter_preview_pdf(letter=letter, acting_user=slt))
    return path, letter


def text_of(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def words_on_page_one(path: Path) -> list[tuple[str, float, float]]:
    """(word, x, y) in millimetres from the page's top-left corner."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
    return [(word, float(x) * MM_PER_POINT, float(y) * MM_PER_POINT) for x, y, word in found]


def test_the_letter_has_the_schools_letterhead_date_and_signatory(slt, tmp_path):
    path, letter = pdf_file(slt, tmp_path)
    text = text_of(path)

    for expected in ("Brunswick Park Primary School", "Benhill Road", "London SE5 7RD",
                     "Telephone 020 7525 9020", "office@brunswickpark.southwark.sch.uk",
                     "Private and confidential".upper(), "Warning letter", "Dear Jordan Smith,",
                     "Yours sincerely,", "Ms Jane Adeyemi", "Head Teacher"):  # fmt: skip
        assert expected in text
    assert f"Our reference: {letter.code}" in text
    assert "Priya" not in text and "priya@example.org" not in text  # Never the reporter.


def test_the_addressee_shows_in_the_envelope_window(slt, tmp_path):
    path, _letter = pdf_file(slt, tmp_path)
    words = words_on_page_one(path)

    name_x, name_y = next((x, y) for word, x, y in words if word == "Jordan")
    postcode_y = next(y for word, _x, y in words if word == "SE5" and y > name_y)
    assert 20 <= name_x <= 30  # A DL or C5 window starts 20 mm from the left.
    assert 45 <= name_y <= 55 and postcode_y < 85  # It is 45 to 85 mm from the top.


def test_what_staff_typed_is_printed_as_typed(slt, tmp_path):
    summary = "<b>Bold?</b> {{ parent_name }} <img src=file:///etc/passwd> {% if 1 %}x{% endif %}"
    path, _letter = pdf_file(slt, tmp_path, summary=summary)
    text = " ".join(text_of(path).split())  # Lines may wrap anywhere.

    assert summary in text
    assert "root:" not in text


def test_a_long_letter_numbers_its_pages_and_marks_each_with_its_code(slt, tmp_path):
    path, letter = pdf_file(slt, tmp_path, summary=LONG_SUMMARY)
    pages = text_of(path).split("\f")[:-1]

    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of 2" in page
        assert f"{letter.code} · version 1" in page
    assert "Jordan Smith" in pages[1].splitlines()[0]  # The continuation line on page two.
    assert "Yours sincerely," in pages[1]


def test_the_letter_is_a_tagged_pdf_with_its_language_title_heading_and_crest(slt, tmp_path):
    path, _letter = pdf_file(slt, tmp_path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Warning letter"
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()
    elements = list(structure(catalog["/StructTreeRoot"]["/K"][0]))
    assert [text for kind, text in elements if kind == "/Figure"] == [
        "Brunswick Park Primary School crest"
    ]
    assert sum(kind == "/H1" for kind, _ in elements) == 1


def structure(element):
    """(type, alternative text) of each element in a PDF's structure tree."""
    element = element.get_object()
    if not hasattr(element, "get") or "/S" not in element:
        return
    yield element["/S"], element.get("/Alt")
    kids = element.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, list) else [kids]:
        yield from structure(kid)
