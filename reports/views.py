"""The parent's pages: start, report, confirmation, and follow-up. No account needed."""

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.forms import shown_as_typed
from brunswick.school.models import SchoolSettings

from . import browser, ratelimits
from .credentials import normalise_reference, passphrase_matches
from .forms import AddInformationForm, FollowUpSignInForm, ReportForm
from .models import Report, Screenshot
from .screenshots import ScreenshotRejected
from .selectors import follow_up_sign_in, get_report_for_reporter, submission_key_from
from .services import (
    StagingRefused,
    TooManyScreenshots,
    report_add_information,
    report_submit,
    screenshot_stage,
    screenshot_unstage,
)

STAGING_LIMITED = (
    "You have added a lot of screenshots in a short time. Send your report without them, "
    "then add them from the follow-up page with your reference and passphrase"
)
WRONG_FOLLOW_UP = "The reference and passphrase do not match a report. Check both and try again."


@login_not_required
def start(request):
    return render(request, "reports/start.html")


def _is_send(request) -> bool:
    """A POST of the form's main button: not "Add these screenshots" or "Remove"."""
    return not ({"add_screenshots", "remove_screenshot"} & set(request.POST))


def _stage_uploads(request, form, token: uuid.UUID) -> None:
    """Check and keep each uploaded screenshot now, so a failed submit loses none of them.

    Each refused file gets its own message on the form; nothing is stored for it.
    """
    uploads = form.files.getlist("screenshots")
    if not uploads:
        return
    if ratelimits.screenshot_staging_over_limit(request, sending=_is_send(request)):
        form.add_error("screenshots", STAGING_LIMITED)
        return
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
        except StagingRefused as refusal:
            form.add_error("screenshots", str(refusal))
            return  # The next file would be refused for the same reason.
        except (ScreenshotRejected, TooManyScreenshots) as refusal:
            form.add_error(
                "screenshots", str(refusal) or f"You can send up to {limit} screenshots."
            )


def _screenshots_changed(request, form, token: uuid.UUID) -> HttpResponse | None:
    """Stage the uploads. If the parent pressed "Add these screenshots" or "Remove", keep
    the form as a draft and redirect back to its screenshots: not a send, so no other
    messages, and Back or reload never resends the form. None when this is a send."""
    _stage_uploads(request, form, token)
    if _is_send(request):
        return None
    if "remove_screenshot" in request.POST:
        screenshot_unstage(token=token, screenshot_id=_int(request.POST["remove_screenshot"]))
    browser.draft_save(request, token, request.POST, form.errors.get("screenshots", []))
    response = redirect(f"{request.path}?{urlencode({'draft': token})}#screenshots")
    return browser.key_cookie_set(request, response)


def _draft_form(request, form_class, **kwargs):
    """The form and its token: the draft named in ?draft= (what the parent had typed, and
    any screenshot refused), or a blank form with a new token."""
    found = browser.draft_load(request, request.GET.get("draft", ""))
    if found is None:
        return form_class(**kwargs), uuid.uuid4()
    token, draft = found
    form = shown_as_typed(form_class(draft.data, **kwargs))
    for message in draft.screenshot_errors:  # Only the screenshots' messages are kept.
        form.add_error("screenshots", message)
    return form, token


def _form_page(request, template: str, form, token: uuid.UUID, status=None, **context):
    staged = Screenshot.objects.staged_with(token)
    context = {"form": form, "submission_key": token, "staged": staged, **context}
    response = render(request, template, context, status=status or (400 if form.errors else 200))
    return browser.key_cookie_set(request, response)


@login_not_required
@never_cache
def report_new(request):
    school = SchoolSettings.current()
    kwargs = {"school": school}
    if request.method != "POST":
        form, token = _draft_form(request, ReportForm, **kwargs)
        receipt = not form.is_bound and browser.receipt_read(request)
        if receipt:  # Back after sending, or a reload: say so, never a blank form to resend.
            return render(request, "reports/already_sent.html", {"receipt": receipt})
        browser.session_ensure(request)
        return _form_page(request, "reports/report_form.html", form, token)

    token = submission_key_from(request.POST)
    if Report.objects.filter(submission_key=token).exists():
        return _sent(request)  # A replayed POST or the second click of a double-click.
    form = ReportForm(request.POST, request.FILES, **kwargs)
    if _is_send(request) and ratelimits.report_submissions_over_limit(request):
        # Nothing is kept from a send that cannot be made: not even its new files.
        return _form_page(
            request,
            "reports/report_form.html",
            shown_as_typed(form),
            token,
            status=429,
            rate_limited=True,
        )
    changed = _screenshots_changed(request, form, token)
    if changed:
        return changed
    if not form.is_valid():
        return _form_page(request, "reports/report_form.html", form, token)
    submission = report_submit(
        submission_key=token,
        details=form.details(),
        on_made=lambda made: _receipt_keep(request, token, made),
    )
    if submission.passphrase:  # Only a report made counts against the limit.
        ratelimits.report_submission_counted(request)
    return _sent(request)


def _receipt_keep(request, token: uuid.UUID, submission) -> None:
    # In the report's own transaction: the other request of a double-click, waiting on the
    # report's key, then finds the report and the receipt together.
    browser.receipt_remember(
        request, reference=submission.report.reference, passphrase=submission.passphrase
    )
    browser.draft_forget(request, token)
    request.session.save()


def _sent(request) -> HttpResponse:
    return browser.key_cookie_set(request, redirect("reports:sent"))


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


@login_not_required
@never_cache
def report_sent(request):
    """Shows the reference, and the passphrase exactly once; later, that it was shown."""
    receipt = browser.receipt_read(request)
    if receipt is None:
        return render(request, "reports/report_sent_gone.html")
    if receipt.passphrase:
        browser.receipt_passphrase_shown(request, receipt)
    context = {"reference": receipt.reference, "passphrase": receipt.passphrase}
    return render(request, "reports/report_sent.html", context)


@login_not_required
@require_POST
def report_another(request):
    """ "Start a new, different report": forget the one just sent."""
    browser.receipt_forget(request)
    return redirect("reports:new")


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
        ratelimits.follow_up_failure_counted(request, reference)
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

    if request.method == "POST":
        token = submission_key_from(request.POST)
        form = AddInformationForm(request.POST, request.FILES, staging_token=token)
        changed = _screenshots_changed(request, form, token)
        if changed:
            return changed
        if form.is_valid():
            report_add_information(
                report=report, body=form.cleaned_data["body"], staging_token=token
            )
            browser.draft_forget(request, token)
            messages.success(request, "Thank you. We have added your information to your report.")
            return redirect("reports:follow_up_status")
    else:
        form, token = _draft_form(request, AddInformationForm)

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
