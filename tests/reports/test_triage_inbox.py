"""The triage inbox at /staff/: filters, search, order, pages, the clock, and who sees it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brunswick.accounts.models import Role
from brunswick.school.models import ClosureDay, SchoolSettings, TermDate
from reports.models import Category, Report
from tests.conftest import sign_in
from tests.factories import ClassGroupFactory, ReportFactory, UserFactory
from tests.reports.triage_helpers import in_a_case, local, received_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(client, slt):
    """Fetch the inbox as an SLT member; returns the response."""
    sign_in(client, slt)
    return lambda query="": client.get(f"/staff/{query}")


def references(response) -> list[str]:
    """The references listed in the table, top to bottom."""
    return re.findall(r'href="/staff/reports/(BP-[\w-]+)/"', response.content.decode())


def row_of(response, report: Report) -> str:
    html = response.content.decode()
    match = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{report.reference}.*?</tr>", html, re.S)
    assert match, f"{report.reference} is not in the table"
    return match.group(0)


@pytest.mark.parametrize("reader", ["slt", "head_teacher"])
def test_slt_and_the_head_teacher_see_the_reports_to_deal_with(client, request, reader):
    group = ClassGroupFactory(name="Year 4")
    report = ReportFactory(group=group, categories=[Category.ANGER, Category.THREATENING])
    sign_in(client, request.getfixturevalue(reader))

    row = row_of(client.get("/staff/"), report)
    assert "Year 4" in row
    assert Category.ANGER.label in row
    assert Category.THREATENING.label in row
    assert "Received" in row
    assert "0 of 2 school days" in row


def test_a_report_in_a_case_links_to_the_case_by_its_code(inbox, slt):
    report = ReportFactory()
    case = in_a_case(report, slt)
    row = row_of(inbox(), report)
    assert f'<a class="govuk-link" href="/staff/cases/{case.id}/">{case.code}</a>' in row
    assert "Being looked at" in row
    assert case.title not in row  # The code only: titles belong on the case page.


@pytest.mark.parametrize("role_fixture", ["office", "admin_user"])
def test_office_and_admin_are_told_their_role_does_not_include_reports(
    client, request, role_fixture
):
    report = ReportFactory(description="Secret words about a child.")
    sign_in(client, request.getfixturevalue(role_fixture))
    for query in ("", f"?q={report.reference}&status=all", "?category=nonsense"):
        response = client.get(f"/staff/{query}")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Your role does not include reading reports" in page
        assert report.reference not in page
        assert "Apply filters" not in page


def test_closed_reports_are_left_out_until_a_status_is_chosen(inbox, slt):
    received, closed = ReportFactory(), ReportFactory(status=Report.Status.CLOSED)
    being_looked_at = ReportFactory()
    in_a_case(being_looked_at, slt)

    assert set(references(inbox())) == {received.reference, being_looked_at.reference}
    assert references(inbox("?status=closed")) == [closed.reference]
    assert references(inbox("?status=received")) == [received.reference]
    assert references(inbox("?status=being_looked_at")) == [being_looked_at.reference]
    assert len(references(inbox("?status=all"))) == 3


def test_it_filters_by_what_happened(inbox):
    anger = ReportFactory(categories=[Category.ANGER, Category.RESPECT])
    ReportFactory(categories=[Category.POLITICAL])
    assert references(inbox("?category=anger")) == [anger.reference]
    assert references(inbox("?category=respect")) == [anger.reference]
    assert references(inbox("?category=threatening")) == []


def test_it_filters_by_group_or_a_group_not_listed(inbox):
    year_1, year_2 = ClassGroupFactory(name="Year 1"), ClassGroupFactory(name="Year 2")
    in_year_1 = ReportFactory(group=year_1)
    ReportFactory(group=year_2)
    unlisted = ReportFactory(group=None, group_other="Football club parents")

    assert references(inbox(f"?group={year_1.id}")) == [in_year_1.reference]
    assert references(inbox("?group=other")) == [unlisted.reference]
    assert "Other: Football club parents" in row_of(inbox("?group=other"), unlisted)


def test_it_filters_by_when_the_report_arrived(inbox):
    now = timezone.now()
    today = received_at(ReportFactory(), now - timedelta(hours=1))
    last_fortnight = received_at(ReportFactory(), now - timedelta(days=10))
    long_ago = received_at(ReportFactory(), now - timedelta(days=45))

    assert references(inbox("?age=last_7_days")) == [today.reference]
    assert references(inbox("?age=last_30_days")) == [today.reference, last_fortnight.reference]
    assert references(inbox("?age=older_than_30_days")) == [long_ago.reference]


def test_assigned_to_me_shows_the_reports_in_cases_i_lead(inbox, slt):
    colleague = UserFactory(username="carol", role=Role.SLT)
    mine, theirs, no_case = ReportFactory(), ReportFactory(), ReportFactory()
    in_a_case(mine, slt)
    in_a_case(theirs, colleague)

    assert references(inbox("?mine=on")) == [mine.reference]
    assert set(references(inbox())) == {mine.reference, theirs.reference, no_case.reference}
    assert re.search(
        r'<input type="checkbox" name="mine"[^>]* checked', inbox("?mine=on").content.decode()
    )


@pytest.mark.parametrize(
    ("field", "typed"),
    [("reference", None), ("description", "SWORE at the TEACHER"), ("posted_by", "dad of SAM")],
)
def test_search_looks_in_the_reference_description_and_who_posted_it(inbox, field, typed):
    report = ReportFactory(
        description="He swore at the teacher during the nativity.", posted_by="Dad of Sam"
    )
    ReportFactory(description="Something else entirely.", posted_by="Another parent")
    query = typed or report.reference.lower()[3:]  # Part of it, in any case.

    response = inbox(f"?q={query.replace(' ', '+')}")
    assert references(response) == [report.reference]
    assert f'value="{query}"' in response.content.decode()  # What was typed stays.


def test_a_search_with_no_match_says_so(inbox):
    ReportFactory()
    response = inbox("?q=nothing+like+this")
    assert references(response) == []
    assert "No reports match these filters." in response.content.decode()


def test_newest_first_unless_oldest_first_is_chosen(inbox):
    now = timezone.now()
    older = received_at(ReportFactory(), now - timedelta(days=3))
    newer = received_at(ReportFactory(), now - timedelta(days=1))
    oldest = received_at(ReportFactory(), now - timedelta(days=5))

    assert references(inbox()) == [newer.reference, older.reference, oldest.reference]
    assert references(inbox("?ordering=oldest")) == [
        oldest.reference,
        older.reference,
        newer.reference,
    ]


def test_pages_of_25_keep_the_filters_in_their_links(inbox):
    year_3 = ClassGroupFactory(name="Year 3")
    ReportFactory.create_batch(30, group=year_3)
    ReportFactory.create_batch(3)

    first = inbox(f"?group={year_3.id}&ordering=oldest")
    html = first.content.decode()
    assert len(references(first)) == 25
    assert "Showing 1 to 25 of 30 reports" in html
    assert f'href="?group={year_3.id}&amp;ordering=oldest&amp;page=2"' in html

    second = inbox(f"?group={year_3.id}&ordering=oldest&page=2")
    assert len(references(second)) == 5
    assert f'href="?group={year_3.id}&amp;ordering=oldest&amp;page=1"' in second.content.decode()
    assert not set(references(first)) & set(references(second))


@pytest.mark.parametrize("page", ["abc", "999", "-1"])
def test_a_page_number_out_of_range_shows_a_page_rather_than_an_error(inbox, page):
    ReportFactory.create_batch(2)
    response = inbox(f"?page={page}")
    assert response.status_code == 200
    assert len(references(response)) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?category=gossip", "Select what happened from the list"),
        ("?group=999999", "Select a group from the list"),
        ("?group=year-1", "Select a group from the list"),
        ("?status=open", "Select a status from the list"),
        ("?age=yesterday", "Select when it was received from the list"),
        ("?ordering=-id", "Select an order from the list"),
        ("?q=" + "x" * 201, "Search for 200 characters or fewer"),
    ],
)
def test_a_bad_filter_value_is_explained_not_a_server_error(inbox, query, message):
    report = ReportFactory()
    response = inbox(query)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert html.count(message) == 2  # In the error summary, and by the field.
    assert report.reference not in html
    assert "<title>Error: Reports" in html


def test_the_clear_filters_link_goes_back_to_the_default_view(inbox):
    html = inbox("?status=closed").content.decode()
    assert '<a class="govuk-link" href="/staff/">Clear filters</a>' in html


# The clock. The term ends last Friday, so "today" (whatever day the suite runs) adds
# nothing, and the counts below are fixed:
#   week -2: Mon 14 days before this Monday ... term 1 ends on its Wednesday;
#   week -1: term 2 runs Monday to Friday, with a closure day on the Tuesday.


def this_monday():
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


@pytest.fixture
def calendar():
    monday = this_monday()
    TermDate.objects.create(
        name="Term 1", starts_on=monday - timedelta(days=60), ends_on=monday - timedelta(days=12)
    )
    TermDate.objects.create(
        name="Term 2", starts_on=monday - timedelta(days=7), ends_on=monday - timedelta(days=3)
    )
    ClosureDay.objects.create(date=monday - timedelta(days=6), reason="INSET day")
    return monday


def arrived(days_before_this_monday: int, **fields) -> Report:
    day = this_monday() - timedelta(days=days_before_this_monday)
    return received_at(ReportFactory(**fields), local(day.year, day.month, day.day, 12))


def test_the_clock_counts_school_days_in_term_less_closure_days(inbox, calendar):
    # Tue and Wed of week -2 (then the holiday), Mon, Wed, Thu, Fri of week -1.
    overdue = arrived(14)
    due_today = arrived(5)  # Wednesday of week -1: Thursday and Friday.
    in_time = arrived(4)  # Thursday of week -1: Friday.

    response = inbox()
    assert '<strong class="govuk-tag govuk-tag--red">Overdue: 6 school days</strong>' in row_of(
        response, overdue
    )
    assert "govuk-tag--yellow" in row_of(response, due_today)
    assert "2 of 2 school days" in row_of(response, due_today)
    assert '<strong class="govuk-tag">1 of 2 school days</strong>' in row_of(response, in_time)


def test_the_clock_uses_the_schools_own_target(inbox, calendar):
    SchoolSettings.objects.update_or_create(
        id=1, defaults={"acknowledgement_target_school_days": 7}
    )
    report = arrived(14)
    assert "6 of 7 school days" in row_of(inbox(), report)


def test_the_clock_stops_when_the_report_is_triaged(inbox, slt, calendar):
    report = arrived(14)
    in_a_case(report, slt)
    wednesday = calendar - timedelta(days=12)
    Report.objects.filter(id=report.id).update(
        triaged_at=local(wednesday.year, wednesday.month, wednesday.day, 9)
    )
    row = row_of(inbox(), report)
    assert '<strong class="govuk-tag govuk-tag--grey">Triaged in 2 school days</strong>' in row


def test_with_no_term_dates_every_weekday_counts(inbox):
    report = ReportFactory()
    assert "0 of 2 school days" in row_of(inbox(), report)
    last_monday = arrived(7)  # Tuesday to Friday last week, and this week's days so far.
    expected = 4 + min(timezone.localdate().weekday(), 4) + 1
    assert f"Overdue: {expected} school days" in row_of(inbox(), last_monday)


def count_queries(client, path: str) -> int:
    client.get(path)  # Warm up: the first request after sign-in checks the device.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def mixed_reports(count: int, lead) -> None:
    """Reports of every kind a page can show: several categories, unlisted groups,
    in cases, closed."""
    for n in range(count):
        kind = n % 4
        report = ReportFactory(
            categories=[Category.ANGER, Category.RESPECT][: 1 + n % 2],
            **({"group": None, "group_other": "Choir parents"} if kind == 1 else {}),
            **({"status": Report.Status.CLOSED} if kind == 3 else {}),
        )
        if kind == 2:
            in_a_case(report, lead)


@pytest.mark.parametrize("query", ["", "?status=all&mine=on&ordering=oldest&q=a"])
def test_the_inbox_makes_the_same_queries_for_5_or_200_reports(client, slt, calendar, query):
    sign_in(client, slt)
    mixed_reports(5, slt)
    few = count_queries(client, f"/staff/{query}")
    mixed_reports(195, slt)
    assert count_queries(client, f"/staff/{query}") == few
    assert few <= 12
