"""Subject access and erasure are the Head Teacher's: SLT, office and admin get 403."""

import pytest
from django.test import Client

from brunswick.audit.models import AuditEvent
from brunswick.subject_access.models import SubjectAccessRequest
from cases.models import Person
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
OTHER_ROLES = ["slt", "office", "admin_user"]


def urls(world) -> dict[str, str]:
    return {
        "request_new": f"/staff/people/{world.person.id}/subject-access/new/",
        "erase": f"/staff/people/{world.person.id}/erase/",
        "pack": f"/staff/subject-access/{world.request.id}/pack/",
        "complete": f"/staff/subject-access/{world.request.id}/complete/",
    }


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_one_else_may_build_a_pack_erase_or_record_a_request(role, request, client, world):
    sign_in(client, request.getfixturevalue(role))
    pages = urls(world)
    assert client.post(pages["pack"], {"format": "zip"}).status_code == 403
    assert client.post(pages["erase"], {"reason": "Asked", "confirm": "on"}).status_code == 403
    assert client.post(pages["request_new"], {"received_on_0": "1"}).status_code == 403
    assert client.post(pages["complete"]).status_code == 403
    assert Person.objects.get(id=world.person.id).full_name == "Jordan Smith"
    assert SubjectAccessRequest.objects.get().status == "open"
    assert not AuditEvent.objects.filter(
        action__in=["subject_access_pack_made", "erasure_applied", "subject_access_requested"]
    ).exists()


# The answers to a GET, for the project's URL/role table (tests/test_url_roles.py).
# fmt: off
TABLE = {
    #              anonymous  office  slt  head_teacher  admin
    "request_new": ("login",  403,    403, 200,          403),
    "erase":       ("login",  403,    403, 200,          403),
    "pack":        ("login",  403,    403, 405,          403),
    "complete":    ("login",  403,    403, 405,          403),
}
# fmt: on


@pytest.mark.parametrize("name", TABLE)
def test_each_role_gets_the_answer_in_the_table(name, world, office, slt, head_teacher, admin_user):
    url = urls(world)[name]
    answers = []
    for user in (None, office, slt, head_teacher, admin_user):
        response = (sign_in(Client(), user) if user else Client()).get(url)
        redirected = response.status_code == 302 and "/staff/login/" in response["Location"]
        answers.append("login" if redirected else response.status_code)
    assert tuple(answers) == TABLE[name]


def test_slt_see_the_requests_but_not_the_head_teachers_buttons(client, slt, world):
    sign_in(client, slt)
    page = client.get(f"/staff/people/{world.person.id}/").content.decode()
    assert world.request.code in page and "15 April 2025" in page
    for action in ("Download the pack", "Erase this person", "Record a subject access request"):
        assert action not in page
