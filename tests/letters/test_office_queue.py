"""The office prints and posts approved letters (or e-mails them) from one queue, seeing the
addressee and the kind of letter, never the case, its reports or who reported."""

import hashlib
import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from brunswick.audit.models import AuditEvent
from brunswick.school.models import SchoolSettings
from letters.models import Letter, LetterKind
from letters.printing import combine_for_duplex
from letters.services import Draft, letter_approve, letter_correct, letter_draft
from reports.services import screenshot_stage
from tests.browser.axe import assert_accessible
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.images import png_bytes
from tests.letters.helpers import template, warning_letter

QUEUE = "/office/letters/"
SUMMARY = "You called a teacher names in the group."
# Enough paragraphs of "what happened" for a three-page letter.
LONG_SUMMARY = "\n\n".join(
    ["You posted messages that called a teacher names and upset other parents. " * 4] * 18
)
transactional = pytest.mark.django_db(transaction=True)  # The PDF is made on commit.


def approved(slt, head_teacher, **draft) -> Letter:
    """A warning letter, approved; in a transactional test its PDF is made at once."""
    letter, _report = warning_letter(slt, **draft)
    letter_approve(letter=letter, acting_user=head_teacher)
    letter.refresh_from_db()
    return letter


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)  # A4, in points.
    content = BytesIO()
    writer.write(content)
    return content.getvalue()


def with_stored_pdf(letter: Letter) -> Letter:
    """Give an approved letter a PDF without WeasyPrint: quick, for tests of many letters."""
    content = blank_pdf(1)
    letter.pdf.name = default_storage.save(f"letters/{letter.id}.pdf", ContentFile(content))
    letter.pdf_sha256 = hashlib.sha256(content).hexdigest()
    letter.status = Letter.Status.READY
    letter.save()
    return letter


def page_count(content: bytes) -> int:
    return len(PdfReader(BytesIO(content)).pages)


def cache_directives(response) -> set[str]:
    # never_cache adds its own directives to ours; no-store and private must be among them.
    return {part.strip() for part in response["Cache-Control"].split(",")}


def pdf_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


@transactional
def test_the_queue_shows_letters_to_post_and_nothing_of_the_case(client, office, slt, head_teacher):
    ready = approved(slt, head_teacher, addressee_name="Jordan Smith")
    printed = approved(
        slt, head_teacher, addressee_name="Morgan Jones", address="2 Park Lane\nLondon"
    )
    printed.status = Letter.Status.PRINTED
    printed.save()
    _draft, report = warning_letter(slt, addressee_name="Dana Draft")
    posted = approved(slt, head_teacher, addressee_name="Pat Posted")
    posted.status, posted.posted_on = Letter.Status.POSTED, timezone.localdate()
    posted.save()

    page = sign_in(client, office).get(QUEUE).content.decode()

    to_print = page.split("To print and post</h2>")[1].split("Sent in the last 30 days")[0]
    assert "Jordan Smith" in to_print and "1 Example Road<br>London SE5 0AA" in to_print
    assert "Morgan Jones" in to_print and "2 Park Lane" in to_print
    assert "Ready to print" in to_print and "Printed" in to_print
    assert "Warning letter" in to_print and f"/office/letters/{ready.id}/pdf/" in to_print
    assert "Dana Draft" not in page  # Not approved: not the office's.
    assert "Pat Posted" not in to_print and "Pat Posted" in page  # Posted: for reference.
    assert to_print.index("Jordan Smith") < to_print.index("Morgan Jones")  # Oldest first.
    assert SUMMARY not in page and "Priya" not in page and report.reference not in page
    assert f"/staff/cases/{ready.case_id}/" not in page and "/staff/reports/" not in page


@transactional
def test_office_downloads_the_stored_pdf_unchanged(client, office, slt, head_teacher):
    letter = approved(slt, head_teacher)

    response = sign_in(client, office).get(f"/office/letters/{letter.id}/pdf/")

    content = pdf_bytes(response)
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == letter.pdf_sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"no-store", "private"} <= cache_directives(response)
    assert f'filename="LETTER-{letter.id:05d}-v1.pdf"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.LETTER_DOWNLOADED)
    assert (event.actor, event.object_id) == (office, str(letter.id))


@pytest.mark.django_db
def test_a_letter_not_yet_approved_or_without_its_pdf_is_not_found(
    client, office, slt, head_teacher
):
    draft, _ = warning_letter(slt)
    being_made = approved(slt, head_teacher)  # Not transactional: its PDF is never made.
    sign_in(client, office)
    assert client.get(f"/office/letters/{draft.id}/pdf/").status_code == 404
    assert client.get(f"/office/letters/{being_made.id}/pdf/").status_code == 404
    assert client.post(f"/office/letters/{draft.id}/printed/").status_code == 404
    assert "still being made into a PDF" in client.get(QUEUE).content.decode()


@transactional
def test_a_superseded_pdf_is_kept_for_slt_and_the_head_teacher_only(
    client, office, slt, head_teacher
):
    first = approved(slt, head_teacher, addressee_name="Jordan Smith")
    correction = letter_correct(letter=first, acting_user=slt)
    letter_approve(letter=correction, acting_user=head_teacher)
    first.refresh_from_db()
    assert first.status == Letter.Status.SUPERSEDED

    assert sign_in(client, office).get(f"/office/letters/{first.id}/pdf/").status_code == 404
    sign_in(client, slt)
    assert client.get(f"/office/letters/{first.id}/pdf/").status_code == 200
    page = client.get(QUEUE).content.decode()
    assert f"/office/letters/{correction.id}/pdf/" in page
    assert f"/office/letters/{first.id}/pdf/" not in page


@transactional
def test_office_marks_a_letter_printed_then_posted(client, office, slt, head_teacher):
    letter = approved(slt, head_teacher)
    sign_in(client, office)

    response = client.post(f"/office/letters/{letter.id}/printed/")
    assert response["Location"] == QUEUE
    letter.refresh_from_db()
    assert (letter.status, letter.printed_by) == (Letter.Status.PRINTED, office)

    today = timezone.localdate()
    response = client.post(
        f"/office/letters/{letter.id}/posted/",
        {f"letter-{letter.id}-posted_on_{i}": part for i, part in enumerate(
            [today.day, today.month, today.year])},
        follow=True,
    )  # fmt: skip
    letter.refresh_from_db()
    assert (letter.status, letter.posted_on, letter.posted_by) == (
        Letter.Status.POSTED,
        today,
        office,
    )
    assert "is marked as posted" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LETTER_POSTED).count() == 1


@transactional
def test_a_letter_to_e_mail_cannot_be_marked_printed(client, office, slt, head_teacher):
    school = SchoolSettings.current()
    school.letters_may_be_emailed = True
    school.save()
    letter = approved(slt, head_teacher, delivery="email")

    response = sign_in(client, office).post(f"/office/letters/{letter.id}/printed/")

    assert response.status_code == 400
    assert "Only a letter ready to post can be marked printed" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY


def posted_on(letter: Letter, day, month, year) -> dict:
    prefix = f"letter-{letter.id}-posted_on"
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


@transactional
@pytest.mark.parametrize(
    "when, message",
    [
        (timedelta(days=1), "The date posted cannot be in the future"),
        (timedelta(days=-3), "The date posted cannot be before the letter was approved"),
    ],
)
def test_a_date_posted_in_the_future_or_before_approval_is_refused(
    client, office, slt, head_teacher, when, message
):
    letter = approved(slt, head_teacher)
    day = timezone.localdate() + when

    response = sign_in(client, office).post(
        f"/office/letters/{letter.id}/posted/", posted_on(letter, day.day, day.month, day.year)
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and f'href="#id_letter-{letter.id}-posted_on_0"' in page
    assert f'value="{day.year}"' in page and f'value="{day.day}"' in page  # What was typed.
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY


@transactional
@pytest.mark.parametrize(
    "typed, message",
    [
        (("31", "2", "2026"), "The date posted must be a real date"),
        (("", "", ""), "Enter the date the letter was posted"),
        (("3", "", "2026"), "The date posted must include a month"),
    ],
)
def test_a_date_posted_that_is_not_a_date_is_refused(
    client, office, slt, head_teacher, typed, message
):
    letter = approved(slt, head_teacher)
    response = sign_in(client, office).post(
        f"/office/letters/{letter.id}/posted/", posted_on(letter, *typed)
    )
    assert response.status_code == 400 and message in response.content.decode()


@transactional
def test_selected_letters_print_as_one_pdf_each_on_a_new_sheet(client, office, slt, head_teacher):
    short = approved(slt, head_teacher, addressee_name="Short Letter")
    long = approved(slt, head_teacher, addressee_name="Long Letter", summary=LONG_SUMMARY)
    draft, _ = warning_letter(slt)
    stored = {
        letter.id: page_count(default_storage.open(letter.pdf.name).read())
        for letter in (short, long)
    }
    assert (stored[short.id], stored[long.id]) == (1, 3)

    response = sign_in(client, office).post(
        "/office/letters/print/", {"letter": [str(long.id), str(short.id), str(draft.id), "x"]}
    )

    content = pdf_bytes(response)
    assert response["Content-Type"] == "application/pdf"
    assert {"no-store", "private"} <= cache_directives(response)
    reader = PdfReader(BytesIO(content))
    assert len(reader.pages) == 2 + 4  # Each padded to an even count; the draft ignored.
    assert "Short Letter" in reader.pages[0].extract_text()  # Queue order: oldest first.
    assert reader.pages[1].extract_text().strip() == ""
    assert "Long Letter" in reader.pages[2].extract_text()
    downloaded = AuditEvent.objects.filter(action=AuditEvent.Action.LETTER_DOWNLOADED)
    assert sorted(downloaded.values_list("object_id", flat=True)) == sorted(
        [str(short.id), str(long.id)]
    )


def test_each_letter_in_a_print_run_starts_on_a_new_sheet():
    combined = combine_for_duplex([blank_pdf(1), blank_pdf(2), blank_pdf(3)])
    assert page_count(combined) == 2 + 2 + 4


@transactional
def test_printing_nothing_selected_says_so(client, office, slt, head_teacher):
    approved(slt, head_teacher)
    draft, _ = warning_letter(slt)
    sign_in(client, office)

    response = client.post("/office/letters/print/", {})
    assert response.status_code == 400
    assert "Select the letters to print" in response.content.decode()

    response = client.post("/office/letters/print/", {"letter": [str(draft.id)]})
    assert response.status_code == 400
    assert "None of the letters you selected is waiting" in response.content.decode()


@transactional
def test_office_sends_a_letter_by_email_with_its_pdf(client, office, slt, head_teacher):
    school = SchoolSettings.current()
    school.letters_may_be_emailed = True
    school.save()
    letter = approved(slt, head_teacher, delivery="email")
    sign_in(client, office)
    queue = client.get(QUEUE).content.decode()
    assert "To send by e-mail" in queue and f"/office/letters/{letter.id}/email/" in queue

    response = client.post(f"/office/letters/{letter.id}/email/", follow=True)

    [sent] = mail.outbox
    assert sent.to == ["jordan@example.org"]
    [(filename, content, content_type)] = sent.attachments
    assert (filename, content_type) == (f"{letter.code}.pdf", "application/pdf")
    assert hashlib.sha256(content).hexdigest() == letter.pdf_sha256
    letter.refresh_from_db()
    assert letter.status == Letter.Status.EMAILED
    page = response.content.decode()
    assert "is being e-mailed" in page and "E-mailed on" in page


@transactional
def test_a_letter_whose_pdf_failed_sends_the_office_to_the_case_lead(
    client, office, slt, head_teacher
):
    letter = approved(slt, head_teacher, addressee_name="Failed Letter")
    letter.status = Letter.Status.RENDER_FAILED
    letter.save()
    page = sign_in(client, office).get(QUEUE).content.decode()
    assert "Failed Letter" in page and "leads the case to try making the PDF again" in page


@pytest.mark.django_db
def test_office_does_not_see_notes_to_people_who_reported(client, office, slt, head_teacher):
    template(LetterKind.REPORTER_NOTE, "Your report", "Dear {{ reporter_name }},\n\n{{ summary }}")
    letter, report = warning_letter(slt)
    note = letter_draft(
        case=letter.case, kind=LetterKind.REPORTER_NOTE, report=report, acting_user=slt,
        draft=Draft(summary="Thank you.", addressee_name="Priya Reporter",
                    addressee_address="3 Hill Road", addressee_email="", delivery="post"),
    )  # fmt: skip
    letter_approve(letter=note, acting_user=head_teacher)
    with_stored_pdf(note)

    sign_in(client, office)
    assert "Priya" not in client.get(QUEUE).content.decode()
    assert client.get(f"/office/letters/{note.id}/pdf/").status_code == 404
    assert "Priya Reporter" in sign_in(client, slt).get(QUEUE).content.decode()


@pytest.mark.django_db
def test_office_cannot_reach_the_case_the_report_or_its_screenshots(client, office, slt):
    letter, report = warning_letter(slt)
    screenshot = screenshot_stage(token=uuid.uuid4(), data=png_bytes(), name="chat.png")
    screenshot.report, screenshot.staging_token = report, None
    screenshot.save()
    sign_in(client, office)
    assert client.get(f"/staff/cases/{letter.case_id}/").status_code == 403
    assert client.get(f"/staff/reports/{report.reference}/").status_code == 403
    assert client.get(f"/staff/screenshots/{screenshot.id}/").status_code == 403
    assert client.get(f"/staff/screenshots/{screenshot.id}/thumbnail/").status_code == 403


@pytest.mark.django_db
def test_admin_may_not_open_the_queue(client, admin_user):
    assert sign_in(client, admin_user).get(QUEUE).status_code == 403


def queue_queries(client, letters: int, slt, head_teacher) -> int:
    for _ in range(letters):
        with_stored_pdf(approved(slt, head_teacher))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_queue_makes_the_same_queries_for_5_letters_as_for_50(
    client, office, slt, head_teacher
):
    sign_in(client, office)
    client.get(QUEUE)  # The school's settings row is made on the first visit.
    with_five = queue_queries(client, 5, slt, head_teacher)
    with_fifty = queue_queries(client, 45, slt, head_teacher)
    assert with_five == with_fifty
    assert with_five <= 10


def browser_sign_in(page, live_server, user) -> None:
    device = user.totpdevice_set.get()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
@transactional
def test_the_office_works_the_queue_in_a_browser(page, live_server, office, slt, head_teacher):
    school = SchoolSettings.current()
    school.letters_may_be_emailed = True
    school.save()
    approved(slt, head_teacher, addressee_name="Jordan Smith")
    printed = approved(slt, head_teacher, addressee_name="Morgan Jones", address="2 Park Lane")
    printed.status, printed.printed_at = Letter.Status.PRINTED, timezone.now()
    printed.save()
    approved(slt, head_teacher, addressee_name="Sam Lee", delivery="email")
    failed = approved(slt, head_teacher, addressee_name="Alex Failed")
    failed.status = Letter.Status.RENDER_FAILED
    failed.save()
    browser_sign_in(page, live_server, office)

    page.goto(f"{live_server.url}{QUEUE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters to print and post")
    assert_accessible(page)
    page.get_by_role("button", name="Print selected").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the letters to print")
    assert_accessible(page)

    page.locator(f"#row-{printed.id}").get_by_role("button", name="Mark posted").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("marked as posted")
    assert_accessible(page)
