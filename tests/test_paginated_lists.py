"""Every paginated staff list keeps its filter and search on every page.

"Next" on closed cases, the people search and the audit log once dropped the filter (so
closed cases past the first page could not be reached), and the audit log's later pages
showed "No events". `test_every_paginated_page_is_in_the_table` finds every page of the
project that paginates (by opening each URL of tests/test_url_roles.py as the Head
Teacher and SLT): a new list fails it until it has a row in LISTS, which fills two pages,
applies a filter and follows "Next".
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.paginator import Page
from django.test import Client
from django.test.utils import ContextList
from django.urls import reverse

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from cases.models import Case
from tests.conftest import sign_in
from tests.factories import CaseFactory, PersonFactory, ReportFactory
from tests.test_url_roles import OK, ROLES, TABLE, World, build_world

pytestmark = pytest.mark.django_db

ROWS = 60  # More than one page of every list (the largest page holds 50).


@pytest.fixture
def world(groups, office, slt, head_teacher, admin_user) -> World:
    return build_world(office, slt, head_teacher, admin_user)


@dataclass(frozen=True)
class Filled:
    url: str  # The list, filtered.
    wanted: list[str]  # Text of rows the filter keeps (one per row).
    unwanted: list[str]  # Text of rows it leaves out.


@dataclass(frozen=True)
class PagedList:
    role: str
    fill: Callable[[World], Filled]


def inbox(world: World) -> Filled:
    wanted = [ReportFactory(description=f"Zanzibar post {n}").reference for n in range(ROWS)]
    unwanted = [ReportFactory(description="Something else").reference for _ in range(5)]
    return Filled(reverse("staff_home") + "?q=Zanzibar&status=all", wanted, unwanted)


def closed_cases(world: World) -> Filled:
    closed = [
        CaseFactory(title=f"Closed matter {n:02d}", status=Case.Status.CLOSED) for n in range(ROWS)
    ]
    still_open = [CaseFactory(title=f"Open matter {n:02d}") for n in range(5)]
    return Filled(
        reverse("cases:list") + "?show=closed",
        [c.title for c in closed],
        [c.title for c in still_open],
    )


def people(world: World) -> Filled:
    wanted = [PersonFactory(full_name=f"Pat Fernsby {n:02d}").full_name for n in range(ROWS)]
    unwanted = [PersonFactory(full_name=f"Lee Other {n:02d}").full_name for n in range(5)]
    return Filled(reverse("cases:people") + "?q=Fernsby", wanted, unwanted)


def _events(action, obj, count: int) -> None:
    for _ in range(count):
        audit_record(action=action, obj=obj, actor_kind="system")


def portal_audit(world: World) -> Filled:
    person = PersonFactory()
    _events(AuditEvent.Action.PERSON_VIEWED, person, ROWS)
    _events(AuditEvent.Action.CASE_VIEWED, CaseFactory(), 5)
    url = reverse("audit:portal") + "?action=person_viewed&q=cases.person"
    return Filled(url, ["Person viewed"], ["Case viewed", "Audit log viewed"])


def case_audit(world: World) -> Filled:
    case = CaseFactory()
    _events(AuditEvent.Action.CASE_VIEWED, case, ROWS)
    _events(AuditEvent.Action.PERSON_VIEWED, PersonFactory(), 5)  # Not about the case.
    return Filled(reverse("cases:audit", args=[case.id]), ["Case viewed"], ["Person viewed"])


def person_audit(world: World) -> Filled:
    person = PersonFactory()
    _events(AuditEvent.Action.PERSON_VIEWED, person, ROWS)
    _events(AuditEvent.Action.CASE_VIEWED, CaseFactory(), 5)  # Not about the person.
    return Filled(
        reverse("cases:person_audit", args=[person.id]), ["Person viewed"], ["Case viewed"]
    )


LISTS: dict[str, PagedList] = {
    "staff_home": PagedList("slt", inbox),
    "cases:list": PagedList("slt", closed_cases),
    "cases:people": PagedList("slt", people),
    "audit:portal": PagedList("head_teacher", portal_audit),
    "cases:audit": PagedList("head_teacher", case_audit),
    "cases:person_audit": PagedList("head_teacher", person_audit),
}


def _paginates(response) -> bool:
    context = response.context
    contexts = list(context) if isinstance(context, ContextList) else [context]
    return any(
        isinstance(value, Page) for each in contexts if each for value in each.flatten().values()
    )


def test_every_paginated_page_is_in_the_table(world):
    clients = {role: sign_in(Client(), getattr(world, role)) for role in ("slt", "head_teacher")}
    found = set()
    for name, row in TABLE.items():
        answers = dict(zip(ROLES, row.expected, strict=True))
        role = next((r for r in ("head_teacher", "slt") if answers[r] == OK), None)
        if role is None or name.startswith("admin:"):
            continue
        response = clients[role].get(reverse(name, kwargs=row.kwargs(world)))
        if _paginates(response):
            found.add(name)
    assert found == set(LISTS), "paginated pages and LISTS differ: add a row to LISTS"


def _next_link(html: str) -> str | None:
    match = re.search(r'<a [^>]*href="([^"]*)"[^>]*rel="next"', html)
    return unescape(match.group(1)) if match else None


@pytest.mark.parametrize("name", LISTS)
def test_next_keeps_the_filter_and_shows_the_next_rows(name, world):
    paged = LISTS[name]
    filled = paged.fill(world)
    client = sign_in(Client(), getattr(world, paged.role))
    first = client.get(filled.url)
    assert first.status_code == 200
    link = _next_link(first.content.decode())
    assert link, f"{name}: no Next link on the first page"
    wanted_query = dict(parse_qsl(urlsplit(filled.url).query))
    assert dict(parse_qsl(urlsplit(link).query)) == {**wanted_query, "page": "2"}

    second = client.get(urlsplit(filled.url).path + link)
    assert second.status_code == 200
    html = second.content.decode()
    assert "No events" not in html and "No cases here" not in html
    page = " ".join(re.findall(r"<tbody.*?</tbody>", html, re.S))  # The rows, not the filters.
    assert any(text in page for text in filled.wanted), f"{name}: page 2 shows no rows"
    leaked = [text for text in filled.unwanted if text in page]
    assert not leaked, f"{name}: page 2 lost the filter and shows {leaked}"
