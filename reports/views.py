"""The parent's pages: start, report, confirmation, and follow-up. No account needed."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.school.models import SchoolSettings

from . import ratelimits
from .credentials import normalise_reference, passphrase_matches
from .forms import AddInformationForm, FollowUpSignInForm, ReportForm
from .models import Report, Screenshot
from .screenshots import ScreenshotRejected
from .selectors import follow_up_sign_in, get_report_for_reporter, submission_key_from
from .services import (
    TooManyScreenshots,
    report_add_information,
    report_submit,
    screenshot_stage,
    screenshot_unstage,
)

JUST_SUBMITTED = "just_submitted"
WRONG_FOLLOW_UP = "The reference and passphrase do not match a report. Check both and try again."


@login_not_required
def start(request):
    return render(request, "reports/start.html")


def _stage_uploads(form, token: uuid.UUID) -> None:
    """Check and keep each uploaded screenshot now, so a failed submit loses none of them.

    Each refused file gets its own message on the form; nothing is stored for it.
    """
    uploads = form.files.getlist("screenshots")
    staged = Screenshot.objects.staged_with(token).count()
    limit = settings.SCREENSHOT_MAX_FILES
    if staged + len(uploads) > limit:
        form.add_error(
            "screenshots",
            f"You can send up to {limit} screenshots. You chose {len(uploads)} more, "
            f"and {staged} already added. Choose fewer.",
        )
        return
    for upload in uploads:
        try:
            data = upload.read(settings.SCREENSHOT_MAX_BYTES + 1)  # Enough to know it is too big.
            screenshot_stage(token=token, data=data, name=upload.name or "")
        except (ScreenshotRejected, TooManyScreenshots) as refusal:
            form.add_error(
                "screenshots", str(refusal) or f"You can send up to {limit} screenshots."
            )


def _only_screenshots_changed(request, form, token: uuid.UUID) -> bool:
    """Stage the uploads; True if the parent only added or removed screenshots.

    Those buttons are not a submit: the page comes back without other error messages.
    """
    _stage_uploads(form, token)
    if "remove_screenshot" in request.POST:
        screenshot_unstage(token=token, screenshot_id=_int(request.POST["remove_screenshot"]))
    elif "add_screenshots" not in request.POST:
        return False
    for name in [name for name in form.errors if name != "screenshots"]:
        del form.errors[name]
    return True


def _form_page(request, template: str, form, token: uuid.UUID, status=None, **context):
    staged = Screenshot.objects.staged_with(token)
    context = {"form": form, "submission_key": token, "staged": staged, **context}
    return render(request, template, context, status=status or (400 if form.errors else 200))


@login_not_required
@never_cache
def report_new(request):
    school = SchoolSettings.current()
    if request.method != "POST":
        form = ReportForm(allow_anonymous=school.allow_anonymous_reports)
        return _form_page(request, "reports/report_form.html", form, uuid.uuid4())

    token = submission_key_from(request.POST)
    if Report.objects.filter(submission_key=token).exists():
        return redirect("reports:sent")  # A replayed POST or the second click of a double-click.
    form = ReportForm(request.POST, request.FILES, allow_anonymous=school.allow_anonymous_reports)
    if _only_screenshots_changed(request, form, token) or not form.is_valid():
        return _form_page(request, "reports/report_form.html", form, token)
    if ratelimits.report_submissions_over_limit(request):
        return _form_page(
            request, "reports/report_form.html", form, token, status=429, rate_limited=True
        )
    submission = report_submit(submission_key=token, details=form.details())
    if submission.passphrase:
        request.session[JUST_SUBMITTED] = {
            "reference": submission.report.reference,
            "passphrase": submission.passphrase,
        }
    return redirect("reports:sent")


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


@login_not_required
@never_cache
def report_sent(request):
    """Shows the reference, and the passphrase exactly once."""
    just_submitted = request.session.get(JUST_SUBMITTED)
    if not just_submitted:
        return redirect("reports:start")
    passphrase = just_submitted.pop("passphrase", None)
    request.session[JUST_SUBMITTED] = just_submitted  # Without the passphrase from now on.
    context = {"reference": just_submitted["reference"], "passphrase": passphrase}
    return render(request, "reports/report_sent.html", context)


@login_not_required
@never_cache
def follow_up(request):
    if request.method != "POST":
        return render(request, "reports/follow_up.html", {"form": FollowUpSignInForm()})
    form = FollowUpSignInForm(request.POST)
    if not form.is_valid():
        return render(request, "reports/follow_up.html", {"form": form}, status=400)

    reference = normalise_reference(form.cleaned_data["reference"])
    if ratelimits.follow_up_over_limit(request, reference):
        return render(
            request, "reports/follow_up.html", {"form": form, "rate_limited": True}, status=429
        )
    report = (
        Report.objects.filter(reference=reference).only("id", "passphrase_hash").first()
        if reference
        else None
    )
    # Always check a hash, so a wrong reference takes as long as a wrong passphrase.
    if not passphrase_matches(
        form.cleaned_data["passphrase"], report.passphrase_hash if report else None
    ):
        audit_record(action=AuditEvent.Action.REPORT_FOLLOW_UP_FAILED, actor_kind="reporter")
        form.add_error(None, WRONG_FOLLOW_UP)
        return render(request, "reports/follow_up.html", {"form": form}, status=400)

    follow_up_sign_in(request, report)
    audit_record(action=AuditEvent.Action.REPORT_FOLLOWED_UP, obj=report, actor_kind="reporter")
    return redirect("reports:follow_up_status")


@login_not_required
@never_cache
def follow_up_status(request):
    report = get_report_for_reporter(request)
    if report is None:
        messages.info(request, "Enter your reference and passphrase to see your report.")
        return redirect("reports:follow_up")

    token = submission_key_from(request.POST) if request.method == "POST" else uuid.uuid4()
    form = AddInformationForm(request.POST or None, request.FILES or None)
    posted = request.method == "POST"
    if posted and not _only_screenshots_changed(request, form, token) and form.is_valid():
        report_add_information(report=report, body=form.cleaned_data["body"], staging_token=token)
        messages.success(request, "Thank you. We have added your information to your report.")
        return redirect("reports:follow_up_status")

    context = {
        "report": report,
        "thread": report.messages.order_by("sent_at").prefetch_related("screenshots"),
        "categories": report.categories.all(),
        "screenshot_count": report.screenshots.filter(message__isnull=True).count(),
    }
    return _form_page(request, "reports/follow_up_status.html", form, token, **context)


@login_not_required
@require_POST
def follow_up_sign_out(request):
    request.session.flush()
    messages.success(request, "You have signed out of your report.")
    return redirect("reports:start")
