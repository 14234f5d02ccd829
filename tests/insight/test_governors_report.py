"""The governors' termly report: the same figures, anonymised, as a PDF and a CSV."""

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from brunswick.audit.models import AuditEvent
from insight.figures import Cell, days, number, share
from insight.governors import suppressed
from reports.models import Category
from tests.conftest import sign_in
from tests.insight.helpers import report_on, september
from tests.insight.test_dashboard import SEPTEMBER

pytestmark = pytest.mark.django_db


def test_counts_from_1_to_4_read_fewer_than_5():
    assert [suppressed(number(n)).text for n in (0, 1, 4, 5, 12)] == [
        "0",
        "fewer than 5",
        "fewer than 5",
        "5",
        "12",
    ]
    assert suppressed(number(3)).value is None  # Nor can it be drawn.


def test_a_share_or_median_resting_on_a_small_count_is_hidden_too():
    assert suppressed(share(6, 10)).text == "60% (6 of 10)"
    assert suppressed(share(2, 10)).text == "fewer than 5"
    assert suppressed(share(0, 3)).text == "fewer than 5"  # "0 of 3" gives away the 3.
    assert (
        suppressed(days([1, 2, 3], "cases closed")).text == "not shown: fewer than 5 cases closed"
    )
    assert suppressed(days([1, 2, 3, 4, 5], "cases closed")).text == "3 school days"
    assert suppressed(Cell("2 school days", 2)).text == "2 school days"  # A target: no count.


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_is_anonymised(client, head_teacher):
    school = september(head_teacher)
    for n in range(5):  # Enough abusive comments in Year 1 to show a number.
        report_on(date(2026, 9, 21 + n % 3), school.year1, [Category.ABUSIVE_COMMENTS])
    response = sign_in(client, head_teacher).get("/staff/insight/governors-report.pdf", SEPTEMBER)
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="governors-report-2026-09-01-to-2026-09-30.pdf"'
        in response["Content-Disposition"]
    )
    text = pdf_text(response.content)
    assert "Report for governors" in text or "report for governors" in text
    assert "1 September 2026 to 30 September 2026" in text
    assert "Reports received 10" in text
    assert "fewer than 5" in text
    assert "Year 1 8" in text  # 3 from the fixtures and 5 more.
    for person in school.people:
        assert person.full_name not in text
    for report in school.reports:
        assert report.description[:30] not in text
        assert report.reporter_name not in text
    assert "Pat swore" not in text and "Person 1" not in text


def test_the_csv_holds_the_same_anonymised_figures(client, slt):
    school = september(slt)
    response = sign_in(client, slt).get("/staff/insight/governors-report.csv", SEPTEMBER)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    figures = {(row["section"], row["row"], row["column"]): row["value"] for row in rows}
    assert figures[("Reports received each week, by what happened", "Reports received", "")] == "5"
    assert figures[("Groups with the most reports", "Year 1", "Reports")] == "fewer than 5"
    people = "People with more than one case in the last 12 months"
    assert figures[(people, "People with more than one case", "")] == "fewer than 5"
    assert not [key for key in figures if key[0] == people and key[2]]  # No rows of people.
    everything = response.content.decode()
    for person in school.people:
        assert person.full_name not in everything


def test_downloads_are_recorded_in_the_audit_trail(client, slt):
    sign_in(client, slt)
    client.get("/staff/insight/governors-report.csv", SEPTEMBER)
    client.get("/staff/insight/governors-report.pdf", SEPTEMBER)
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).order_by("id")
    assert [e.extra["export"] for e in exports] == ["governors_report_csv", "governors_report_pdf"]


def test_a_bad_period_downloads_nothing_and_says_why(client, slt):
    from tests.insight.test_dashboard import custom

    response = sign_in(client, slt).get(
        "/staff/insight/governors-report.pdf", custom("2/9/2026", "1/9/2026")
    )
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()
