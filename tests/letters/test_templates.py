"""Letter templates: the default wording, and editing it safely in the admin."""

import importlib
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from brunswick.accounts.roles import roles_ensure
from brunswick.school.models import SchoolSettings
from letters.models import Letter, LetterKind, LetterTemplate
from letters.placeholders import (
    PARENT_PLACEHOLDERS,
    REPORTER_PLACEHOLDERS,
    placeholders_for,
    sample_values,
    template_problems,
)
from tests.conftest import sign_in
from tests.letters.helpers import WARNING_BODY, template

pytestmark = pytest.mark.django_db

DEFAULTS_MIGRATION = "0002_default_templates"
defaults = importlib.import_module(f"letters.migrations.{DEFAULTS_MIGRATION}")


def change_url(made: LetterTemplate) -> str:
    return reverse("admin:letters_lettertemplate_change", args=[made.pk])


def preview_url(made: LetterTemplate) -> str:
    return reverse("admin:letters_lettertemplate_preview", args=[made.pk])


# The default wording


def test_there_is_default_wording_for_every_kind_of_letter():
    assert set(defaults.DEFAULTS) == set(LetterKind.values)


@pytest.mark.parametrize("kind", LetterKind.values)
def test_the_default_wording_uses_only_the_placeholders_its_kind_allows(kind):
    heading, body = defaults.DEFAULTS[kind]
    assert template_problems(kind, heading, body) == {}


def test_the_note_to_the_reporter_says_nothing_about_the_other_parent():
    heading, body = defaults.DEFAULTS[LetterKind.REPORTER_NOTE]
    words = f"{heading}\n{body}".lower()
    for giveaway in ("warning", "ban", "meeting with", "action", "sanction", "parent_name"):
        assert giveaway not in words
    assert "{{ report_reference }}" in body and "follow-up page" in body


def migrate(app_label: str, target: str | None = None) -> None:
    """Move the letters app to `target`, or to its latest migration."""
    executor = MigrationExecutor(connection)
    name = target or executor.loader.graph.leaf_nodes(app_label)[0][1]
    executor.migrate([(app_label, name)])


@pytest.fixture
def before_defaults(transactional_db):
    """The database as it was before the default wording, put back to the latest after."""
    (before,) = defaults.Migration.dependencies
    migrate(*before)
    yield
    migrate("letters")


def test_migrating_creates_each_template_with_its_first_version(before_defaults):
    assert not LetterTemplate.objects.exists()
    migrate("letters", DEFAULTS_MIGRATION)

    made = {t.kind: t for t in LetterTemplate.objects.all()}
    assert set(made) == set(LetterKind.values)
    for kind, template_made in made.items():
        version = template_made.history.latest()  # What letter_draft records.
        assert (version.history_type, version.heading) == ("+", defaults.DEFAULTS[kind][0])
        assert version.body == template_made.body == defaults.DEFAULTS[kind][1]


def test_migrating_back_keeps_the_wording_the_school_changed(before_defaults):
    migrate("letters", DEFAULTS_MIGRATION)
    edited = LetterTemplate.objects.get(kind=LetterKind.WARNING_LETTER)
    edited.heading = "Our own heading"
    edited.save()

    migrate(*defaults.Migration.dependencies[0])
    assert list(LetterTemplate.objects.values_list("kind", flat=True)) == [edited.kind]
    migrate("letters", DEFAULTS_MIGRATION)  # Forwards again: never overwrites it.
    assert LetterTemplate.objects.get(kind=edited.kind).heading == "Our own heading"
    assert LetterTemplate.objects.count() == len(LetterKind)


# Placeholders


def test_the_reporter_note_cannot_use_parent_placeholders():
    body = "Dear {{ reporter_name }},\n\nAbout {{ parent_name }} and {{ ban_start }}."
    errors = template_problems(LetterKind.REPORTER_NOTE, "Your report", body)
    assert errors["body"] == [
        "Line 3: {{ ban_start }} is not a placeholder this letter can use",
        "Line 3: {{ parent_name }} is not a placeholder this letter can use",
    ]


@pytest.mark.parametrize("kind", LetterKind.values)
def test_the_preview_has_an_example_for_every_placeholder_of_its_kind(kind):
    school = SchoolSettings(name="Brunswick Park Primary School", signatory_name="Ms Head")
    values = sample_values(kind, timezone.localdate(), school)
    assert values.keys() == placeholders_for(kind).keys()
    assert values["school_name"] == "Brunswick Park Primary School"


# The admin


@pytest.fixture
def admin_client(client, admin_user):
    roles_ensure()
    return sign_in(client, admin_user)


def test_letter_templates_are_in_the_admin_and_letters_are_not():
    assert LetterTemplate in admin.site._registry
    assert Letter not in admin.site._registry


def test_the_admin_role_may_view_add_and_change_templates(admin_user):
    roles_ensure()
    for action in ("view", "add", "change"):
        assert admin_user.has_perm(f"letters.{action}_lettertemplate")
    assert not admin_user.has_perm("letters.delete_lettertemplate")
    assert not admin_user.has_perm("letters.view_letter")


def test_an_admin_changes_the_wording_and_a_new_version_is_kept(admin_client):
    made = template()
    versions = made.history.count()
    body = "Dear {{ parent_name }},\n\nPlease be kind in the {{ group }} group."
    response = admin_client.post(change_url(made), {"heading": "Warning", "body": body})

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.body == body
    assert made.history.count() == versions + 1
    assert made.history.latest().body == body
    history = admin_client.get(reverse("admin:letters_lettertemplate_history", args=[made.pk]))
    assert history.status_code == 200


def test_a_template_with_a_syntax_error_is_not_saved_and_the_message_names_the_line(
    admin_client,
):
    made = template()
    body = "Dear {{ parent_name }},\n\nOn {{ incident_date }\nmore"
    response = admin_client.post(change_url(made), {"heading": "Warning", "body": body})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == ["Line 3: unexpected '}'"]
    made.refresh_from_db()
    assert made.body == WARNING_BODY


def test_an_unknown_placeholder_is_not_saved_and_the_message_names_the_line(admin_client):
    made = template()
    heading = "Warning\n{{ settings }}"
    response = admin_client.post(change_url(made), {"heading": heading, "body": WARNING_BODY})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["heading"] == [
        "Line 2: {{ settings }} is not a placeholder this letter can use"
    ]


def test_a_new_reporter_note_with_a_parent_placeholder_is_not_added(admin_client):
    LetterTemplate.objects.filter(kind=LetterKind.REPORTER_NOTE).delete()
    body = "Dear {{ reporter_name }},\n\nWe warned {{ parent_name }}."
    response = admin_client.post(
        reverse("admin:letters_lettertemplate_add"),
        {"kind": LetterKind.REPORTER_NOTE, "heading": "Your report", "body": body},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "Line 3: {{ parent_name }} is not a placeholder this letter can use"
    ]
    assert not LetterTemplate.objects.filter(kind=LetterKind.REPORTER_NOTE).exists()


def test_the_change_page_lists_the_kinds_placeholders_and_previews_the_saved_wording(
    admin_client,
):
    made = template(kind=LetterKind.REPORTER_NOTE, heading="Your report", body=(
        "Dear {{ reporter_name }},\n\nThank you for report {{ report_reference }}."
    ))  # fmt: skip
    page = admin_client.get(change_url(made)).content.decode()
    (offered,) = re.findall(r'<ul class="letter-placeholders">.*?</ul>', page, re.DOTALL)

    for name, description in REPORTER_PLACEHOLDERS.items():
        assert f"{{{{ {name} }}}}" in offered and escape(description) in offered
    assert "{{ parent_name }}" not in offered  # Not offered to the reporter's note.
    assert "Dear Robin Example," in page and "BP-ABCD-2345" in page  # The example details.
    assert preview_url(made) in page
    assert 'name="kind"' not in page  # A saved template keeps its kind.


def test_the_add_page_lists_the_placeholders_of_both_kinds_of_letter(admin_client):
    page = admin_client.get(reverse("admin:letters_lettertemplate_add")).content.decode()
    assert all(f"{{{{ {name} }}}}" in page for name in PARENT_PLACEHOLDERS)
    assert all(f"{{{{ {name} }}}}" in page for name in REPORTER_PLACEHOLDERS)
    assert 'name="kind"' in page


def test_the_preview_pdf_is_made_for_the_admin_and_nothing_is_saved(admin_client):
    made = template()
    response = admin_client.get(preview_url(made))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    assert not Letter.objects.exists()


@pytest.mark.parametrize("role_fixture", ["slt", "head_teacher", "office"])
def test_the_preview_pdf_is_refused_to_other_staff(request, role_fixture):
    roles_ensure()
    made = template()
    staff = sign_in(Client(), request.getfixturevalue(role_fixture))
    assert staff.get(preview_url(made)).status_code == 403


def test_the_preview_pdf_sends_visitors_to_sign_in(client):
    response = client.get(preview_url(template()))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_saved_template_that_no_longer_renders_is_reported_not_crashed(admin_client):
    made = template()
    # Bypasses clean(), as wording saved before today's checks might.
    LetterTemplate.objects.filter(pk=made.pk).update(body="Dear {{ nobody }},")

    page = admin_client.get(change_url(made)).content.decode()
    assert "This template cannot be shown" in page
    response = admin_client.get(preview_url(made))
    assert response.status_code == 302 and response["Location"] == change_url(made)
