"""A letter template is checked when it is saved: compiled and rendered in the letters'
sandbox on example details, and anything the sandbox would refuse is refused with its line.
The sandbox refuses the same things when a row written before these checks is rendered."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from jinja2 import TemplateError

from brunswick.accounts.roles import roles_ensure
from letters.models import LetterKind, LetterTemplate
from letters.placeholders import render_problem, render_text, template_problems
from tests.conftest import sign_in
from tests.letters.helpers import WARNING_BODY, template

pytestmark = pytest.mark.django_db

WARNING = LetterKind.WARNING_LETTER
REFUSED = [
    ("Dear {{ parent_name }},\n\n{% include 'base.html' %}",
     "Line 3: letters cannot include other templates ({% include %}). Remove it."),
    ("{% import 'forms.html' as forms %}",
     "Line 1: letters cannot import other templates ({% import %}). Remove it."),
    ("{% from 'forms.html' import field %}",
     "Line 1: letters cannot import from other templates ({% from %}). Remove it."),
    ("{% extends 'base.html' %}",
     "Line 1: letters cannot extend other templates ({% extends %}). Remove it."),
    ("Hello\n{% macro shout(x) %}{{ x }}{% endmacro %}",
     "Line 2: letters cannot define macros ({% macro %}). Remove it."),
    ("{% call shout() %}x{% endcall %}",
     "Line 1: letters cannot call macros ({% call %}). Remove it."),
    ("{% block content %}x{% endblock %}",
     "Line 1: letters cannot have blocks ({% block %}). Remove it."),
    ("{% set name = parent_name %}{{ name }}",
     "Line 1: letters cannot set values of their own ({% set %}). Use the placeholders."),
    ("{% with name = parent_name %}{{ name }}{% endwith %}",
     "Line 1: letters cannot set values of their own ({% with %}). Use the placeholders."),
    ("{% for letter in summary %}{{ letter }}{% endfor %}",
     "Line 1: letters cannot repeat text ({% for %}). Remove it."),
    ("{% autoescape false %}{{ summary }}{% endautoescape %}",
     "Line 1: letters cannot turn escaping off ({% autoescape %}). Remove it."),
    ("Dear\n\n{{ parent_name.__class__ }}",
     "Line 3: letters cannot use names that start with an underscore (.__class__). Remove it."),
    ("{{ summary['_secret'] }}",
     "Line 1: letters cannot use names that start with an underscore (['_secret']). "
     "Remove it."),
    ("{{ parent_name.upper() }}",
     "Line 1: letters cannot call functions or methods (a name followed by brackets). "
     "Use a filter instead, like {{ parent_name|upper }}."),
    ("{{ summary * 100000000 }}",
     "Line 1: letters cannot do sums (+, -, *, /, % or **). Remove it, or join text with ~."),
    ("Dear {{ parent_name }},\n{{ summary|safe }}",
     "Line 2: |safe is not a filter letters can use. You can use: capitalize, default, lower, "
     "title, trim, upper."),
    ("{{ summary|no_such_filter }}",
     "Line 1: |no_such_filter is not a filter letters can use. You can use: capitalize, "
     "default, lower, title, trim, upper."),
    ("{% if group is divisibleby 3 %}x{% endif %}",
     "Line 1: “is divisibleby” is not a test letters can use. You can use: defined, undefined, "
     "none, string, eq, ne, lower, upper."),
    ("Dear {{ parent_name }},\n\n{{ settings }}",
     "Line 3: {{ settings }} is not a placeholder this letter can use"),
    ("Dear {{ parent_name.upper }}",
     "Line 1: placeholders cannot have anything after a dot: write {{ parent_name }}"),
    ("{{ parent_name.format }}",
     "Line 1: placeholders cannot have anything after a dot: write {{ parent_name }}"),
    ("Dear\n{{ summary[:10] }}",
     "Line 2: placeholders cannot have anything in square brackets after them: write "
     "{{ summary }}"),
    ("{{ 'text'.upper }}",
     "Line 1: letters cannot use anything after a dot (.upper). Remove it."),
    ("{% if meeting_time < 12 %}x{% endif %}",
     "Line 1: letters cannot use <, > or & inside {{ }} or {% %}. Compare with == or !=, or "
     "remove it."),
]  # fmt: skip


@pytest.mark.smoke
@pytest.mark.parametrize(("body", "message"), REFUSED)
def test_wording_the_sandbox_would_refuse_is_refused_with_its_line(body, message):
    assert template_problems(WARNING, "Warning letter", body) == {"body": [message]}


def test_wording_that_fails_only_when_a_placeholder_is_blank_is_refused():
    body = "Dear {{ parent_name }},\n\n{% if pupil_class == '' %}{{ -pupil_class }}{% endif %}"
    (message,) = template_problems(WARNING, "Warning letter", body)["body"]
    assert message.startswith("Line 3: this could not be filled in (")


def test_wording_that_uses_what_letters_may_use_is_accepted():
    body = (
        "Dear {{ parent_name|title }},\n\n"
        "{% if meeting_time %}We meet at {{ meeting_time }}.{% else %}No meeting.{% endif %}\n"
        "{{ group|default('your class') ~ ' group' }} {{ summary|upper }}\n"
        "{% if attendees is defined and attendees != '' %}With {{ attendees }}{% endif %}"
    )
    assert template_problems(WARNING, "Warning: {{ group|upper }}", body) == {}


def test_a_problem_in_the_heading_says_so_in_one_sentence_for_a_page():
    problem = render_problem(WARNING, "Warning {% include 'x' %}", WARNING_BODY)
    assert problem == (
        "In the heading: Line 1: letters cannot include other templates ({% include %}). Remove it."
    )
    assert render_problem(WARNING, "Warning letter", WARNING_BODY) is None


@pytest.mark.parametrize(
    "body",
    [
        "{% include 'base.html' %}",
        "{{ parent_name.__class__.__mro__ }}",
        "{{ summary|safe }}",
        "{{ 9 ** 9 ** 9 ** 9 }}",
        "{% for a in summary %}{% for b in summary %}x{% endfor %}{% endfor %}",
    ],
)
def test_a_row_saved_before_the_checks_still_cannot_be_rendered(body):
    with pytest.raises(TemplateError, match=r"^Line 1: .*letters can"):
        render_text(body, {"parent_name": "Sam", "summary": "<b>x</b>"})


@pytest.fixture
def admin_client(client, admin_user):
    roles_ensure()
    return sign_in(client, admin_user)


@pytest.mark.smoke
def test_an_include_is_not_saved_in_the_admin_and_the_message_names_the_line(admin_client):
    made = template()
    body = "Dear {{ parent_name }},\n\n{% include 'base.html' %}"
    response = admin_client.post(
        reverse("admin:letters_lettertemplate_change", args=[made.pk]),
        {"heading": "Warning", "body": body},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "Line 3: letters cannot include other templates ({% include %}). Remove it."
    ]
    assert escape(body) in response.content.decode()  # What was typed is kept.
    made.refresh_from_db()
    assert made.body == WARNING_BODY


def test_a_class_chain_is_not_saved_in_the_admin(admin_client):
    made = template()
    response = admin_client.post(
        reverse("admin:letters_lettertemplate_change", args=[made.pk]),
        {"heading": "Warning {{ parent_name.__class__.__mro__ }}", "body": WARNING_BODY},
    )

    assert response.context["adminform"].form.errors["heading"] == [
        "Line 1: letters cannot use names that start with an underscore (.__class__). Remove it.",
        "Line 1: letters cannot use names that start with an underscore (.__mro__). Remove it.",
    ]
    assert LetterTemplate.objects.get(pk=made.pk).heading == "Warning letter"
