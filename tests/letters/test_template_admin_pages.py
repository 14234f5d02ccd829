"""Every admin page of a letter template opens, and says why, for a row that cannot be
rendered: one written before the checks, or straight to the database."""

import pytest
from django.urls import reverse
from django.utils import timezone

from brunswick.accounts.roles import roles_ensure
from letters.models import LetterTemplate
from tests.conftest import sign_in
from tests.letters.helpers import WARNING_BODY, template

pytestmark = pytest.mark.django_db

BROKEN = "{% include 'base.html' %}"
MESSAGE = (
    "This template cannot be shown: Line 1: letters cannot include other templates "
    "({% include %}). Remove it."
)


@pytest.fixture
def admin_client(client, admin_user):
    roles_ensure()
    return sign_in(client, admin_user)


@pytest.fixture
def broken() -> LetterTemplate:
    """A warning letter template whose saved wording, and newest version, cannot be
    rendered, written without clean() as an old row might have been."""
    made = template()
    LetterTemplate.objects.filter(pk=made.pk).update(body=BROKEN)
    LetterTemplate.history.model.objects.create(
        id=made.pk, kind=made.kind, heading=made.heading, body=BROKEN,
        updated_at=made.updated_at, history_date=timezone.now(), history_type="~",
    )  # fmt: skip
    made.refresh_from_db()
    return made


def good_version(made: LetterTemplate):
    return made.history.filter(body=WARNING_BODY).get()


def broken_version(made: LetterTemplate):
    return made.history.filter(body=BROKEN).get()


def url(name: str, *args) -> str:
    return reverse(f"admin:letters_lettertemplate_{name}", args=args)


PAGES = {
    "the list of templates": lambda made: url("changelist"),
    "the template": lambda made: url("change", made.pk),
    "its history": lambda made: url("history", made.pk),
    "its broken version": lambda made: url("simple_history", made.pk, broken_version(made).pk),
    "its good version": lambda made: url("simple_history", made.pk, good_version(made).pk),
}


@pytest.mark.smoke
@pytest.mark.parametrize("page", PAGES)
def test_each_page_of_a_broken_template_opens_and_says_why(admin_client, broken, page):
    response = admin_client.get(PAGES[page](broken))

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


def test_the_add_page_opens_while_a_template_is_broken(admin_client, broken):
    assert admin_client.get(url("add")).status_code == 200


def test_the_pdf_preview_of_a_broken_template_goes_back_to_the_form_and_says_why(
    admin_client, broken
):
    response = admin_client.get(url("preview", broken.pk))

    assert response.status_code == 302
    assert response["Location"] == url("change", broken.pk)
    assert MESSAGE in admin_client.get(response["Location"]).content.decode()


def test_reverting_a_broken_template_to_a_good_version_mends_it(admin_client, broken):
    good = good_version(broken)
    response = admin_client.post(
        url("simple_history", broken.pk, good.pk), {"heading": good.heading, "body": good.body}
    )

    assert response.status_code == 302
    broken.refresh_from_db()
    assert broken.body == WARNING_BODY
    assert MESSAGE not in admin_client.get(url("change", broken.pk)).content.decode()


def test_reverting_to_a_version_that_cannot_be_rendered_is_refused(admin_client, broken):
    LetterTemplate.objects.filter(pk=broken.pk).update(body=WARNING_BODY)
    version = broken_version(broken)
    response = admin_client.post(
        url("simple_history", broken.pk, version.pk),
        {"heading": version.heading, "body": version.body},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [MESSAGE.split(": ", 1)[1]]
    assert LetterTemplate.objects.get(pk=broken.pk).body == WARNING_BODY


def test_the_broken_template_can_be_corrected_on_its_own_page(admin_client, broken):
    response = admin_client.post(
        url("change", broken.pk), {"heading": "Warning letter", "body": WARNING_BODY}
    )

    assert response.status_code == 302
    assert LetterTemplate.objects.get(pk=broken.pk).body == WARNING_BODY


@pytest.mark.parametrize(
    "address",
    ["/admin/letters/lettertemplate/x/history/", "/admin/letters/lettertemplate/1/history/x/"],
)
def test_a_history_address_that_is_not_an_id_is_not_found(admin_client, broken, address):
    assert admin_client.get(address).status_code == 404
