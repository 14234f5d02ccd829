"""Wording too deep, too long or too clever for the letters' sandbox (Jinja's recursive
parser, Python's compiler and integer limit) is refused with a plain message when it is
saved, and a row written straight to the database with it never gives an error page, and
never a slow one."""

import time

import pytest
from django.urls import reverse
from django.utils.html import escape
from jinja2 import TemplateError

from brunswick.accounts.roles import roles_ensure
from letters.models import LetterTemplate
from letters.placeholders import render_text, template_problems
from tests.conftest import sign_in
from tests.letters.helpers import WARNING_BODY, broken_version, stored_template, warning_letter

pytestmark = pytest.mark.django_db

WARNING = "warning_letter"
TOO_COMPLICATED = "this is too complicated for a letter"
# Each of these gave a 500 (or printed Python's insides) before the limits.
BODIES = {
    "62 brackets inside each other": "{{ " + "(" * 62 + "parent_name" + ")" * 62 + " }}",
    "100 {% if %} inside each other": "{% if group %}" * 100 + "x" + "{% endif %}" * 100,
    "100 {% for %} inside each other": "{% for a in group %}" * 100 + "{% endfor %}" * 100,
    "not 2,000 times": "{{ " + "not " * 2000 + "group }}",
    "lists inside lists": "{{ " + "[" * 300 + "]" * 300 + " }}",
    "|upper 1,500 times": "{{ group" + "|upper" * 1500 + " }}",
    "and 1,000 times": "{{ group" + " and group" * 800 + " }}",
    "a number of 5,000 digits": "{{ " + "9" * 5000 + " }}",
}
DOT = "Line 1: placeholders cannot have anything after a dot: write {{ parent_name }}"
HUGE = "{{ parent_name" + " ~ parent_name" * 150_000 + " }}"  # 2.1 MB


@pytest.mark.smoke
@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_wording_too_deep_or_too_big_is_refused_in_words(body):
    (message,) = template_problems(WARNING, "Warning letter", body)["body"]
    assert message.startswith("Line 1: ") or message.startswith("The body is too long")
    assert "Recursion" not in message and "indentation" not in message


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_a_row_written_with_it_cannot_be_rendered_and_says_so(body):
    with pytest.raises(TemplateError) as refused:
        render_text(body, {"group": "Year 3", "parent_name": "Sam"})
    assert str(refused.value).startswith(("Line 1: ", "The body", "This text is too"))


def test_the_body_has_at_most_10_000_characters_and_the_heading_200():
    problems = template_problems(WARNING, "W" * 201, "x" * 10_001)
    assert problems == {
        "heading": [
            "The heading is too long for a letter: it has 201 characters, and can have at "
            "most 200. Shorten it."
        ],
        "body": [
            "The body is too long for a letter: it has 10,001 characters, and can have at "
            "most 10,000. Shorten it."
        ],
    }
    assert template_problems(WARNING, "W" * 200, "x" * 10_000) == {}


def test_a_2_mb_body_is_refused_at_once():
    started = time.monotonic()
    (message,) = template_problems(WARNING, "Warning letter", HUGE)["body"]
    assert time.monotonic() - started < 0.5
    assert message.startswith("The body is too long for a letter: it has 2,100,017 characters")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Dear {{ parent_name.upper }}", DOT),
        ("{{ parent_name.format }}", DOT),
        (
            "{{ summary[0] }}",
            "Line 1: placeholders cannot have anything in square brackets after them: write "
            "{{ summary }}",
        ),
    ],
)
def test_nothing_after_a_placeholder_is_allowed_it_is_a_plain_string(body, message):
    assert template_problems(WARNING, "Warning letter", body) == {"body": [message]}


def test_a_row_written_with_a_dot_never_prints_python_s_insides():
    with pytest.raises(TemplateError, match="placeholders cannot have anything after a dot"):
        render_text("Dear {{ parent_name.upper }}", {"parent_name": "Sam"})


def test_what_letters_may_use_still_fits_inside_the_limits():
    body = (
        "Dear {{ parent_name|title }},\n\n"
        + "{% if group %}" * 10
        + "{{ ((((((((((group)))))))))) }} {{ group|upper|lower|title|trim|upper }}"
        + "{% endif %}" * 10
        + "\n{{ 123456789012345 }}"
    )
    assert template_problems(WARNING, "Warning letter", body) == {}


@pytest.fixture
def admin_client(client, admin_user):
    roles_ensure()
    return sign_in(client, admin_user)


def url(name: str, *args) -> str:
    return reverse(f"admin:letters_lettertemplate_{name}", args=args)


@pytest.mark.smoke
@pytest.mark.parametrize(
    "body", [*BODIES.values(), "Dear {{ parent_name.upper }}"], ids=[*BODIES, "a dot"]
)
def test_saving_it_in_the_admin_is_refused_under_the_body_and_keeps_what_was_typed(
    admin_client, body
):
    made = stored_template(WARNING_BODY)
    response = admin_client.post(url("change", made.pk), {"heading": "Warning", "body": body})

    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["body"]
    assert message.startswith("Line 1: ") or message.startswith("The body is too long")
    assert escape(body)[:1000] in response.content.decode()
    assert LetterTemplate.objects.get(pk=made.pk).body == WARNING_BODY


def test_saving_a_2_mb_body_is_refused_quickly(admin_client):
    made = stored_template(WARNING_BODY)
    started = time.monotonic()
    response = admin_client.post(url("change", made.pk), {"heading": "Warning", "body": HUGE})

    assert time.monotonic() - started < 5  # It took 43 s.
    assert (
        response.context["adminform"]
        .form.errors["body"][0]
        .startswith("The body is too long for a letter")
    )


STORED = {**BODIES, "a dot": "Dear {{ parent_name.upper }}", "2 MB": HUGE}
PAGES = {
    "the list of templates": lambda made: url("changelist"),
    "the template": lambda made: url("change", made.pk),
    "its history": lambda made: url("history", made.pk),
    "its stored version": lambda made: url(
        "simple_history", made.pk, made.history.latest().history_id
    ),
}


@pytest.mark.parametrize("body", STORED.values(), ids=STORED.keys())
@pytest.mark.parametrize("page", PAGES)
def test_every_admin_page_of_a_row_written_with_it_opens_quickly_and_says_why(
    admin_client, body, page
):
    made = stored_template(body)
    started = time.monotonic()
    response = admin_client.get(PAGES[page](made))

    assert time.monotonic() - started < 3  # Each took 10 to 14 s with a 2 MB body.
    assert response.status_code == 200
    assert "This template cannot be shown: " in response.content.decode()


@pytest.mark.parametrize("body", STORED.values(), ids=STORED.keys())
def test_its_pdf_preview_goes_back_to_the_form_and_reverting_to_it_is_refused(admin_client, body):
    made = stored_template(body)
    assert admin_client.get(url("preview", made.pk))["Location"] == url("change", made.pk)

    LetterTemplate.objects.filter(pk=made.pk).update(body=WARNING_BODY)  # Mended since.
    version = made.history.latest()
    response = admin_client.post(
        url("simple_history", made.pk, version.history_id),
        {"heading": version.heading, "body": version.body},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"]
    assert LetterTemplate.objects.get(pk=made.pk).body == WARNING_BODY


@pytest.mark.smoke
@pytest.mark.parametrize("body", STORED.values(), ids=STORED.keys())
def test_a_letter_made_from_it_opens_and_says_why_and_its_preview_goes_back(client, slt, body):
    letter, _ = warning_letter(slt)
    broken_version(letter, body)
    sign_in(client, slt)

    started = time.monotonic()
    page = client.get(f"/staff/letters/{letter.id}/")
    assert time.monotonic() - started < 3
    assert page.status_code == 200
    assert "This letter&#x27;s template cannot be used: " in page.content.decode()
    assert "&lt;built-in method" not in page.content.decode()

    preview = client.get(f"/staff/letters/{letter.id}/preview/", follow=True)
    assert preview.redirect_chain == [(f"/staff/letters/{letter.id}/", 302)]
    assert "This letter&#x27;s template cannot be used: " in preview.content.decode()
