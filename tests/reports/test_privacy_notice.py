"""The privacy notice (UK GDPR articles 13 and 14): linked from every page, the form and
the acknowledgement e-mail; its periods read from the retention schedule, its Data
Protection Officer from the school's settings."""

import pytest
from django.core import mail

from brunswick.retention.models import RetentionSchedule
from brunswick.school.models import SchoolSettings
from reports.models import Report
from tests.factories import ReportFactory
from tests.reports.helpers import report_form_data
from tests.reports.test_follow_up import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_the_notice_says_who_why_how_long_and_the_rights(client):
    school = SchoolSettings.current()
    school.dpo_name, school.dpo_contact = "Ms D Okafor", "email dpo@example.org"
    school.ico_registration_number = "Z1234567"
    school.privacy_notice_extra = "The school's governors review this notice every year."
    school.save()
    schedule = RetentionSchedule.current()
    schedule.closed_case_months = 84
    schedule.save()

    page = client.get("/privacy/").content.decode()
    for said in (
        "data controller",
        "Z1234567",
        "The Data Protection Officer is Ms D Okafor. To reach them, email dpo@example.org",
        "article 6(1)(e)",
        "A case, with its reports, screenshots, messages and letters: 7 years",
        "A report closed without a case: 1 year",
        "subject access request",
        "ico.org.uk",
        "The school&#x27;s governors review this notice every year.",
    ):
        assert said in page, said


def test_every_parent_page_links_to_the_notice(client, groups):
    pages = ["/", "/report/", "/follow-up/"]
    for url in pages:
        assert 'href="/privacy/"' in client.get(url).content.decode(), url
    form = client.get("/report/").content.decode()
    assert form.count('href="/privacy/"') == 2  # In the form itself, and in the footer.
    client.post("/report/", report_form_data(groups[0]))
    assert 'href="/privacy/"' in client.get("/report/sent/").content.decode()
    report = ReportFactory()
    sign_in(client, report.reference)
    assert 'href="/privacy/"' in client.get("/follow-up/report/").content.decode()


@pytest.mark.django_db(transaction=True)  # The outbox relays on commit.
def test_the_acknowledgement_links_the_notice_and_its_subject_has_no_reference(client, groups):
    client.post("/report/", report_form_data(groups[0]))
    [acknowledgement] = [m for m in mail.outbox if m.to == ["priya@example.org"]]
    reference = Report.objects.get().reference
    assert reference not in acknowledgement.subject
    assert acknowledgement.subject == "We have received your report"
    assert reference in acknowledgement.body
    assert "/privacy/" in acknowledgement.body
