"""The timeline tag (cases/templatetags/timeline.py) writes the HTML the template it
replaced wrote: the case page's timeline and a person's chronology."""

import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template

from cases.selectors import Event
from tests.conftest import sign_in
from tests.factories import CaseFactory

# templates/cases/includes/timeline.html, as it was.
TEMPLATE = """{% if events %}
  <ol class="govuk-list bp-timeline">
    {% for event in events %}
      <li class="govuk-!-margin-bottom-4">
        <p class="govuk-body-s govuk-!-margin-bottom-0">{{ event.at|date:"j M Y, H:i" }}{% if event.case %} · <a class="govuk-link" href="{{ event.case.get_absolute_url }}">{{ event.case.code }}</a>{% endif %}</p>
        <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-0">{{ event.title }}</p>
        {% if event.detail %}<p class="govuk-body-s">{{ event.detail|linebreaksbr }}</p>{% endif %}
      </li>
    {% endfor %}
  </ol>
{% else %}
  <p class="govuk-body">Nothing yet.</p>
{% endif %}"""  # noqa: E501


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def _both(events) -> tuple[str, str]:
    context = Context({"events": events})
    old = Template(TEMPLATE).render(context)
    new = Template("{% load timeline %}{% timeline events %}").render(context)
    return _normalised(old), _normalised(new)


@pytest.mark.django_db
def test_it_writes_what_the_template_wrote():
    case, other = CaseFactory(), CaseFactory()
    events = [
        Event(datetime(2026, 1, 5, 9, 30, tzinfo=UTC), "Case opened", "Ann & <Bob>", case),
        Event(datetime(2026, 7, 1, 23, 15, tzinfo=UTC), "Proposed: a <meeting>", "a\nb\n\nc"),
        Event(datetime(2026, 7, 2, 8, 0, tzinfo=UTC), "Report received", "", other),
        Event(datetime(2026, 7, 3, 8, 0, tzinfo=UTC), "Case closed", "", case),
    ]
    old, new = _both(events)
    assert new == old
    assert "2 Jul 2026, 00:15" in new  # In the school's time zone (BST), as before.


def test_it_says_when_there_is_nothing_yet():
    old, new = _both([])
    assert new == old == '<p class="govuk-body">Nothing yet.</p>'


@pytest.mark.django_db
def test_the_case_page_shows_its_timeline(client, slt):
    sign_in(client, slt)
    case = CaseFactory(title="Comments & <threats>")
    html = client.get(f"/staff/cases/{case.id}/").content.decode()
    assert '<ol class="govuk-list bp-timeline">' in html
    assert "Comments &amp; &lt;threats&gt;" in html
