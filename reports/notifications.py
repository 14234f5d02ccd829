"""E-mails about reports. They carry links and references only, never content: e-mail
leaves the portal, and a report may name children, parents and staff."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from brunswick.accounts.models import Role, User
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import register_composer
from brunswick.school.models import SchoolSettings

from .models import Report


def _email(template: str, to: list[str], context: dict) -> EmailMessage:
    context = {**context, "school": SchoolSettings.current(), "portal_url": settings.PORTAL_URL}
    subject = render_to_string(f"reports/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"reports/email/{template}.txt", context)
    return EmailMessage(subject=subject, body=body, to=to)


@register_composer(OutboxMessage.Kind.NEW_REPORT_TO_STAFF)
def new_report_to_staff(report_id: int) -> list[EmailMessage]:
    """One e-mail to each SLT member and the Head Teacher, each addressed to them alone."""
    if not Report.objects.filter(id=report_id).exists():
        return []
    recipients = User.objects.with_role(Role.SLT, Role.HEAD_TEACHER).exclude(email="")
    link = settings.PORTAL_URL + reverse("staff_home")
    return [_email("new_report", [user.email], {"link": link}) for user in recipients]


@register_composer(OutboxMessage.Kind.ACKNOWLEDGE_REPORTER)
def acknowledge_reporter(report_id: int) -> list[EmailMessage]:
    """The reference in the body only: never the passphrase, never what was reported, and
    not the reference in the subject, which mail lists, previews and lock screens show."""
    report = Report.objects.filter(id=report_id).only("reference", "reporter_email").first()
    if report is None or not report.reporter_email:
        return []
    link = settings.PORTAL_URL + reverse("reports:follow_up")
    privacy = settings.PORTAL_URL + reverse("privacy")
    context = {"reference": report.reference, "link": link, "privacy_link": privacy}
    return [_email("acknowledgement", [report.reporter_email], context)]
