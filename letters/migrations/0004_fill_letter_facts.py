"""Existing letters keep their text: each gets the facts letters.content.parent_values used
to read from the case when the letter was shown (the case's earliest report, the letter's
step and the person's register entry), now stored on the letter, and that report as the
one it is about. A note to a reporter states none of them."""

from django.db import migrations

REPORTER_NOTE = "reporter_note"


def _group(report) -> str:
    shown = report.group.name if report.group_id else f"Other: {report.group_other}"
    return shown.removeprefix("Other: ")


def _facts(letter, first) -> dict:
    step, person = letter.step, letter.person
    meeting = step.meeting_at if step else None  # As it was shown: the stored (UTC) time.
    return {
        "incident_on": first.occurred_on if first else None,
        "incident_group": _group(first) if first else "",
        "pupil_class": person.pupils.replace("\n", ", ") if person else "",
        "meeting_on": meeting.date() if meeting else None,
        "meeting_time": f"{meeting:%H:%M}" if meeting else "",
        "attendees": step.attendees if step else "",
        "ban_starts_on": step.ban_starts_on if step else None,
        "ban_ends_on": step.ban_ends_on if step else None,
        "review_on": step.review_on if step else None,
        "representations_deadline": step.representations_deadline if step else None,
    }


def fill_facts(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    Report = apps.get_model("reports", "Report")
    letters = Letter.objects.exclude(kind=REPORTER_NOTE).select_related("step", "person")
    for letter in letters.order_by("id").iterator():
        first = (
            Report.objects.filter(case_id=letter.case_id)
            .select_related("group")
            .order_by("submitted_at")
            .first()
        )
        Letter.objects.filter(pk=letter.pk).update(**_facts(letter, first))
        if first is not None:
            letter.reports.add(first)


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0003_letter_facts"),
    ]

    operations = [
        migrations.RunPython(fill_facts, migrations.RunPython.noop),
    ]
