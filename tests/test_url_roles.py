"""Every URL in the project, and what each kind of visitor gets from it (GET).

The portal is closed by default (LoginRequiredMiddleware); this table is where anyone can
check who may open what. A URL pattern without a row fails `test_every_url_has_a_row`:
decide who may open it and add one line to TABLE. A URL with arguments names a function
that builds them from the World, or makes what it needs with tests.factories, e.g.
`def case(world): return {"case_id": CaseFactory(lead=world.slt).id}`.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.views.static import serve as static_serve

from brunswick.access.models import RoleGrant
from brunswick.accounts.models import User
from brunswick.accounts.roles import roles_ensure
from brunswick.subject_access.models import SubjectAccessRequest
from letters.services import letter_approve, letter_render
from reports.models import Report, Screenshot
from reports.services import screenshot_stage
from tests.conftest import sign_in
from tests.factories import CaseFactory, LadderStepFactory, PersonFactory, ReportFactory
from tests.images import png_bytes
from tests.letters.helpers import warning_letter

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reporter", "office", "slt", "head_teacher", "admin")


def to(url_name: str) -> str:
    """A redirect to the page with this URL name."""
    return f"302 to {url_name}"


OK = 200
NO = 403  # Signed in, but the role may not.
HIDDEN = 404  # Not for this role, which is not even told that it exists.
POST = 405  # The URL takes POST only.
LOGIN = to("login")
# The admin site's own views send LoginRequiredMiddleware here; it passes everyone on to
# /staff/login/ (tests/accounts/test_admin_access.py). Model pages go to /staff/login/ at once.
ADMIN_LOGIN = to("admin:login")
FOLLOW = to("reports:follow_up")
LETTER = to("letters:detail")  # An approved letter cannot be edited: back to its page.
CASE = to("cases:detail")  # A POST-only case action sends a GET back to the case.
PERSON = to("cases:person")


@dataclass
class World:
    """What a row's kwargs may point at: a report with a screenshot, and the staff."""

    report: Report
    screenshot: Screenshot
    office: User
    slt: User
    head_teacher: User
    admin: User


def no_args(world: World) -> dict:
    return {}


def report(world: World) -> dict:
    return {"reference": world.report.reference}


def shot(world: World) -> dict:
    return {"screenshot_id": world.screenshot.id}


def case(world: World) -> dict:
    return {"case_id": CaseFactory(lead=world.slt).id}


def closed(world: World) -> dict:
    """A closed case: only the Head Teacher may reopen it."""
    made = CaseFactory(lead=world.slt, status="closed", closed_at=timezone.now())
    return {"case_id": made.id}


def step(world: World) -> dict:
    made = LadderStepFactory(
        case=CaseFactory(lead=world.slt), kind="authorities", status="awaiting_approval"
    )
    return {"case_id": made.case_id, "step_id": made.id}


def person(world: World) -> dict:
    return {"person_id": PersonFactory(created_by=world.slt).id}


def sar(world: World) -> dict:
    """A subject access request for a parent on the register."""
    made = SubjectAccessRequest.objects.create(
        person=PersonFactory(created_by=world.slt),
        received_on=date(2026, 3, 15),
        due_on=date(2026, 4, 15),
        created_by=world.head_teacher,
    )
    return {"request_id": made.id}


def grant(world: World) -> dict:
    """A role that can read reports, asked for by the admin for the office."""
    made = RoleGrant.objects.create(user=world.office, role="slt", requested_by=world.admin)
    return {"grant_id": made.id}


def letter(world: World) -> dict:
    """An approved letter with its PDF, as the office finds it in the print queue."""
    made, _report = warning_letter(world.slt)
    letter_approve(letter=made, acting_user=world.head_teacher)
    letter_render(made.id)  # Here, not on commit: these tests never commit.
    return {"letter_id": made.id}


@dataclass(frozen=True)
class Row:
    expected: tuple[int | str, ...]  # One answer per role, in the order of ROLES.
    kwargs: Callable[[World], dict]


def row(*expected: int | str, kwargs: Callable[[World], dict] = no_args) -> Row:
    assert len(expected) == len(ROLES)
    return Row(expected, kwargs)


# The Django admin's many URLs are one group: these rows stand for all of them.
# fmt: off
TABLE: dict[str, Row] = {
    #                                 anon     reporter office  slt     head    admin
    "reports:start":              row(OK,      OK,      OK,     OK,     OK,     OK),
    "reports:new":                row(OK,      OK,      OK,     OK,     OK,     OK),
    "reports:sent":               row(OK,      OK,      OK,     OK,     OK,     OK),
    "reports:another":            row(POST,    POST,    POST,   POST,   POST,   POST),
    "privacy":                    row(OK,      OK,      OK,     OK,     OK,     OK),
    "reports:follow_up":          row(OK,      OK,      OK,     OK,     OK,     OK),
    "reports:follow_up_status":   row(FOLLOW,  OK,      FOLLOW, FOLLOW, FOLLOW, FOLLOW),
    "reports:follow_up_sign_out": row(POST,    POST,    POST,   POST,   POST,   POST),
    "login":                      row(OK,      OK,      OK,     OK,     OK,     OK),
    "logout":                     row(LOGIN,   LOGIN,   POST,   POST,   POST,   POST),
    "staff_home":                 row(LOGIN,   LOGIN,   OK,     OK,     OK,     OK),
    "staff_report":               row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=report),
    "staff_screenshot":           row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=shot),
    "staff_screenshot_thumbnail": row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=shot),
    "staff_report_open_case":     row(LOGIN,   LOGIN,   NO,     POST,   POST,   NO, kwargs=report),
    "staff_report_add_to_case":   row(LOGIN,   LOGIN,   NO,     POST,   POST,   NO, kwargs=report),
    "staff_report_close":         row(LOGIN,   LOGIN,   NO,     POST,   POST,   NO, kwargs=report),
    "staff_report_message":       row(LOGIN,   LOGIN,   NO,     POST,   POST,   NO, kwargs=report),
    "cases:list":                 row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO),
    "cases:detail":               row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=case),
    "cases:change_lead":          row(LOGIN,   LOGIN,   NO,     CASE,   CASE,   NO, kwargs=case),
    "cases:add_person":           row(LOGIN,   LOGIN,   NO,     CASE,   CASE,   NO, kwargs=case),
    "cases:close":                row(LOGIN,   LOGIN,   NO,     CASE,   CASE,   NO, kwargs=case),
    "cases:decide":               row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO, kwargs=case),
    "cases:reopen":               row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO, kwargs=closed),
    "cases:audit":                row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO, kwargs=case),
    # Without ?kind= there is no step form to show.
    "cases:step_new":             row(LOGIN,   LOGIN,   NO,     HIDDEN, HIDDEN, NO, kwargs=case),
    # SLT may read a step waiting for approval; only the Head Teacher may decide it (POST).
    "cases:step_approve":         row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=step),
    "cases:step_complete":        row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=step),
    "cases:step_withdraw":        row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=step),
    "cases:step_representations": row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=step),
    "cases:people":               row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO),
    "cases:person_new":           row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO),
    "cases:person":               row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=person),
    "cases:person_edit":          row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=person),
    "cases:person_audit":         row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO, kwargs=person),
    "letters:new":                row(LOGIN,   LOGIN,   NO,     HIDDEN, HIDDEN, NO, kwargs=case),
    "letters:detail":             row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=letter),
    "letters:edit":               row(LOGIN,   LOGIN,   NO,     LETTER, LETTER, NO, kwargs=letter),
    "letters:preview":            row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO, kwargs=letter),
    "letters:send_for_approval":  row(LOGIN,   LOGIN,   NO,     POST,   POST,   NO, kwargs=letter),
    "letters:approve":            row(LOGIN,   LOGIN,   NO,     POST,   POST,   NO, kwargs=letter),
    "letters:retry":              row(LOGIN,   LOGIN,   NO,     POST,   POST,   NO, kwargs=letter),
    "letters:correct":            row(LOGIN,   LOGIN,   NO,     POST,   POST,   NO, kwargs=letter),
    "letters:approvals":          row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO),
    "audit:portal":               row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO),
    "access:staff":               row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO),
    "access:decide":              row(LOGIN,   LOGIN,   NO,     NO,     POST,   NO, kwargs=grant),
    "access:password":            row(LOGIN,   LOGIN,   OK,     OK,     OK,     OK),
    "subject_access:request_new": row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO, kwargs=person),
    "subject_access:erase":       row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO, kwargs=person),
    "subject_access:pack":        row(LOGIN,   LOGIN,   NO,     NO,     POST,   NO, kwargs=sar),
    "subject_access:complete":    row(LOGIN,   LOGIN,   NO,     NO,     POST,   NO, kwargs=sar),
    "retention:case_hold":        row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO, kwargs=case),
    # With no hold to release, the page sends the Head Teacher back.
    "retention:case_hold_release": row(LOGIN,  LOGIN,   NO,     NO,     CASE,   NO, kwargs=case),
    "retention:person_hold":      row(LOGIN,   LOGIN,   NO,     NO,     OK,     NO, kwargs=person),
    "retention:person_hold_release":
                                  row(LOGIN,   LOGIN,   NO,     NO,     PERSON, NO, kwargs=person),
    "office:queue":               row(LOGIN,   LOGIN,   OK,     OK,     OK,     NO),
    "office:bulk_print":          row(LOGIN,   LOGIN,   POST,   POST,   POST,   NO),
    "office:pdf":                 row(LOGIN,   LOGIN,   OK,     OK,     OK,     NO, kwargs=letter),
    "office:printed":             row(LOGIN,   LOGIN,   POST,   POST,   POST,   NO, kwargs=letter),
    "office:posted":              row(LOGIN,   LOGIN,   POST,   POST,   POST,   NO, kwargs=letter),
    "office:email":               row(LOGIN,   LOGIN,   POST,   POST,   POST,   NO, kwargs=letter),
    "insight:dashboard":          row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO),
    "insight:governors_pdf":      row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO),
    "insight:governors_csv":      row(LOGIN,   LOGIN,   NO,     OK,     OK,     NO),
    "healthz":                    row(OK,      OK,      OK,     OK,     OK,     OK),
    "admin:index":                row(ADMIN_LOGIN, ADMIN_LOGIN, NO, NO, NO, OK),
    "admin:accounts_user_changelist":
                                  row(LOGIN,   LOGIN,   NO,     NO,     NO,     OK),
    "admin:school_schoolsettings_changelist":
                                  row(LOGIN,   LOGIN,   NO,     NO,     NO,     OK),
}
# fmt: on
ADMIN_GROUP = "admin:*"


def url_names(patterns=None, prefix: str = "") -> Iterator[str]:
    """The name of every URL pattern, walking through includes; the admin as one group."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield ADMIN_GROUP
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern.url_patterns, namespace)
        elif pattern.callback is not static_serve:
            yield f"{prefix}{pattern.name or f'<no name: {pattern.pattern}>'}"


def test_every_url_has_a_row():
    in_project = set(url_names())
    in_table = {ADMIN_GROUP if name.startswith("admin:") else name for name in TABLE}
    missing, gone = sorted(in_project - in_table), sorted(in_table - in_project)
    assert not missing, f"URL patterns with no row in TABLE: {', '.join(missing)}"
    assert not gone, f"Rows in TABLE for URLs that no longer exist: {', '.join(gone)}"


def build_world(office, slt, head_teacher, admin_user) -> World:
    roles_ensure()  # The Admin role's permissions in the admin.
    made = ReportFactory()
    screenshot = screenshot_stage(token=uuid.uuid4(), data=png_bytes(), name="chat.png")
    screenshot.report, screenshot.staging_token = made, None
    screenshot.save()
    return World(made, screenshot, office, slt, head_teacher, admin_user)


@pytest.fixture
def world(groups, office, slt, head_teacher, admin_user) -> World:
    return build_world(office, slt, head_teacher, admin_user)


@pytest.fixture
def clients(world) -> dict[str, Client]:
    reporter = Client()
    signed_in = reporter.post(
        "/follow-up/",
        {"reference": world.report.reference, "passphrase": "apple banana cherry damson elder"},
    )
    assert signed_in["Location"] == reverse("reports:follow_up_status")
    return {
        "anonymous": Client(),
        "reporter": reporter,
        **{role: sign_in(Client(), getattr(world, role)) for role in ROLES[2:]},
    }


def answer(response) -> int | str:
    if response.status_code != 302:
        return response.status_code
    try:
        return to(resolve(urlsplit(response["Location"]).path).view_name)
    except Resolver404:
        return f"302 to {response['Location']}"


@pytest.mark.parametrize("url_name", TABLE)
def test_each_role_gets_the_answer_in_the_table(url_name, world, clients):
    row = TABLE[url_name]
    url = reverse(url_name, kwargs=row.kwargs(world))
    answers = {role: answer(clients[role].get(url)) for role in ROLES}
    assert answers == dict(zip(ROLES, row.expected, strict=True)), url


def test_the_walk_finds_included_namespaced_and_unnamed_patterns():
    from django.contrib import admin
    from django.urls import include, path

    def view(request):
        raise AssertionError("never called")

    patterns = [
        path("a/", view, name="a"),
        path("b/", include(([path("c/", view, name="c"), path("d/", view)], "bee"))),
        path("admin/", admin.site.urls),
    ]
    assert list(url_names(patterns)) == ["a", "bee:c", "bee:<no name: d/>", ADMIN_GROUP]


@pytest.mark.parametrize("url_name", TABLE)
def test_a_post_without_its_form_token_gets_the_portals_page(url_name, world, slt):
    """The test client skips CSRF checks; a browser does not. A form sent without its token
    (cookies blocked) gets the portal's page, never Django's "CSRF verification failed"."""
    url = reverse(url_name, kwargs=TABLE[url_name].kwargs(world))
    for client in (
        Client(enforce_csrf_checks=True),
        sign_in(Client(enforce_csrf_checks=True), slt),
    ):
        response = client.post(url, {"anything": "x"})
        page = response.content.decode(errors="replace")
        assert "CSRF" not in page and "DEBUG" not in page, url
        if response.status_code == 403:
            assert "Your form could not be sent" in page or "You cannot open this page" in page
