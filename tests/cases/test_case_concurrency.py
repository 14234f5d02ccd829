"""Two staff acting on the same case at once: one wins, the other is told clearly."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from brunswick.accounts.models import Role
from cases.models import Case, LadderStep
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

# On both databases: SQLite's writers wait for each other (transaction_mode IMMEDIATE).
pytestmark = [pytest.mark.smoke, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_server_errors(caplog):
    yield
    errors = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert not errors, [r.getMessage() for r in errors]


def test_two_simultaneous_steps_on_one_case_leave_exactly_one(slt):
    other = UserFactory(username="bob", role=Role.SLT)
    case = CaseFactory(lead=slt, opened_by=slt)
    clients = [sign_in(Client(), slt), sign_in(Client(), other)]
    barrier = Barrier(2)

    def propose(client):
        try:
            barrier.wait()
            return client.post(
                f"/staff/cases/{case.id}/steps/new/?kind=information_gathering",
                {
                    "version": case.version,
                    "kind": "information_gathering",
                    "rationale": "Speak to them.",
                },
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(propose, clients))

    assert sorted(r.status_code for r in responses) == [302, 400]
    [loser] = [r for r in responses if r.status_code == 400]
    assert "Someone else changed this case" in loser.content.decode()
    assert LadderStep.objects.filter(case=case).count() == 1
    assert Case.objects.get(id=case.id).version == case.version + 1


def test_two_simultaneous_decisions_leave_exactly_one(head_teacher):
    case = CaseFactory()
    clients = [sign_in(Client(), head_teacher), sign_in(Client(), head_teacher)]
    barrier = Barrier(2)
    today = timezone.localdate()

    def decide(client):
        try:
            barrier.wait()
            return client.post(
                f"/staff/cases/{case.id}/decision/",
                {
                    "version": case.version,
                    "outcome": "advice_given",
                    "reasons": "Advice is enough.",
                    "decided_on_0": today.day,
                    "decided_on_1": today.month,
                    "decided_on_2": today.year,
                },
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(r.status_code for r in pool.map(decide, clients))

    assert statuses == [302, 400]
    assert case.decision.history.count() == 1
