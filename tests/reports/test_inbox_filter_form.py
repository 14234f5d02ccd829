"""The inbox's filter form is rendered once per query string and process
(reports.staff_views._inbox_filters_html): it must always read as if rendered afresh."""

import pytest
from django.template.loader import render_to_string

from reports.filters import ReportFilter
from reports.models import Report
from tests.conftest import sign_in
from tests.factories import ClassGroupFactory

pytestmark = pytest.mark.django_db


def fresh_form(query: dict) -> str:
    inbox = ReportFilter(query, queryset=Report.objects.none())
    inbox.is_valid()
    return render_to_string("reports/includes/inbox_filters.html", {"inbox": inbox})


@pytest.mark.parametrize(
    "query", [{}, {"q": "Fairweather", "status": "all"}, {"category": "anger", "mine": "on"}]
)
def test_the_page_shows_the_form_as_a_fresh_render_would(client, slt, query):
    ClassGroupFactory(name="Year 4")
    sign_in(client, slt)
    for _ in range(2):  # The second page comes from the cache.
        html = client.get("/staff/", query).content.decode()
        assert fresh_form(query) in html


def test_a_renamed_group_shows_at_once(client, slt):
    group = ClassGroupFactory(name="Year 4")
    sign_in(client, slt)
    assert "Year 4" in client.get("/staff/").content.decode()
    group.name = "Year Four"
    group.save()
    html = client.get("/staff/").content.decode()
    assert "Year Four" in html and ">Year 4<" not in html


def test_refused_filters_still_say_what_is_wrong(client, slt):
    sign_in(client, slt)
    response = client.get("/staff/", {"status": "nonsense"})
    assert response.status_code == 400
    assert "Select a status from the list" in response.content.decode()
