"""For the form tests: the date boxes as a page posts them, the page's text as a user reads
it, the error summary's lines, and one page of each kind that takes a date."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from brunswick.subject_access.models import SubjectAccessRequest
from cases.models import Decision, LadderStep
from letters.models import Letter
from letters.services import letter_approve
from reports.models import Report
from tests.cases.helpers import case_opened, decide, propose
from tests.conftest import sign_in
from tests.factories import ClassGroupFactory, PersonFactory
from tests.letters.helpers import draft_data, two_groups_case, warning_letter
from tests.reports.helpers import report_form_data

TODAY = timezone.localdate()


def boxes(name: str, day: str, month: str, year: str) -> dict:
    """The day, month and year boxes of a GOV.UK date input, as typed."""
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def text(response) -> str:
    """The page's text, with its HTML escapes undone, so messages read as written."""
    return html.unescape(response.content.decode())


SUMMARY_LINE = re.compile(r'<li><a href="#([^"]*)">([^<]*)</a></li>')


def summary(response) -> list[tuple[str, str]]:
    """The error summary's lines: (the id each links to, the message)."""
    page = response.content.decode()
    start = page.find("govuk-error-summary__list")
    if start < 0:
        return []
    listed = page[start : page.find("</ul>", start)]
    return [(anchor, html.unescape(message)) for anchor, message in SUMMARY_LINE.findall(listed)]


def kept(response, name: str, typed: tuple[str, str, str]) -> bool:
    """Whether each box shows what was typed in it."""
    page = response.content.decode()
    return all(
        f'name="{name}_{index}" value="{html.escape(value)}"' in page
        for index, value in enumerate(typed)
        if value
    )


@dataclass(frozen=True)
class DatePage:
    """A page with a date input: what the date is called in its messages, how to post a
    date typed in its boxes, and whether anything was saved."""

    name: str
    field: str
    subject: str
    post: Callable  # (client, slt, head_teacher, typed) -> response
    saved: Callable[[], bool]
    # The earliest date it takes, as its message says it (the report form's is a school
    # setting: SchoolSettings.earliest_report_date, 1 September 2020 by default).
    earliest: str = "1 January 2000"

    def __str__(self) -> str:
        return self.name


def _subject_access(client, slt, head_teacher, typed):
    person = PersonFactory()
    sign_in(client, head_teacher)
    url = f"/staff/people/{person.id}/subject-access/new/"
    return client.post(url, {**boxes("received_on", *typed), "notes": ""})


def _decision(client, slt, head_teacher, typed):
    case = case_opened(10, lead=head_teacher)
    sign_in(client, head_teacher)
    return decide(client, case, **boxes("decided_on", *typed))


def _step(client, slt, head_teacher, typed):
    case = case_opened(10, lead=slt)
    sign_in(client, slt)
    return propose(
        client,
        case,
        LadderStep.Kind.INFORMATION_GATHERING,
        rationale="Speak to them first.",
        **boxes("due_on", *typed),
    )


def _report(client, slt, head_teacher, typed):
    group = ClassGroupFactory(name="Year 3")
    return client.post("/report/", report_form_data(group, **boxes("occurred_on", *typed)))


def _letter(client, slt, head_teacher, typed):
    case, person, _first, second = two_groups_case(slt)
    sign_in(client, slt)
    url = f"/staff/cases/{case.id}/letters/new/?kind=warning_letter&person={person.id}"
    data = draft_data(reports=[second.id], facts_from=str(second.id))
    return client.post(url, {**data, **boxes("incident_on", *typed)})


def _insight(client, slt, head_teacher, typed):
    sign_in(client, slt)
    end = TODAY + timedelta(days=1)
    data = {"period": "custom", **boxes("starts_on", *typed)}
    data |= boxes("ends_on", str(end.day), str(end.month), str(end.year))
    return client.get("/staff/insight/", data)


DATE_PAGES = [
    DatePage(
        "subject access request",
        "received_on",
        "Date the request was received",
        _subject_access,
        SubjectAccessRequest.objects.exists,
    ),
    DatePage(
        "final decision", "decided_on", "Date of the decision", _decision, Decision.objects.exists
    ),
    DatePage("step", "due_on", "The due date", _step, LadderStep.objects.exists),
    DatePage(
        "parent's report",
        "occurred_on",
        "The date it was posted",
        _report,
        Report.objects.exists,
        earliest="1 September 2020",
    ),
    DatePage(
        "letter draft", "incident_on", "The date of the incident", _letter, Letter.objects.exists
    ),
    DatePage("Insight period", "starts_on", "Start date", _insight, lambda: False),
]


def approved_letter(slt, head_teacher) -> Letter:
    """A warning letter, approved; in a transactional test its PDF is made at once and it
    waits in the office's print queue."""
    letter, _report = warning_letter(slt)
    letter_approve(letter=letter, acting_user=head_teacher)
    letter.refresh_from_db()
    return letter
