"""Everything that changes a letter: draft, edit, approve, render, print, post, e-mail,
correct. Each change records its audit event in the same transaction."""

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from brunswick.accounts.models import Role
from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.outbox.models import OutboxMessage
from brunswick.outbox.services import outbox_enqueue
from brunswick.school.models import SchoolSettings
from cases.ladder import needs_head_teacher_approval
from cases.models import LadderStep

from .content import (
    FACTS,
    facts_stated,
    letter_context,
    letter_problem,
    prefilled_facts,
    reports_about,
)
from .models import Letter, LetterKind, LetterTemplate
from .placeholders import render_problem
from .rendering import html_to_pdf, letter_html
from .steps import STEP_KIND, letter_step_refusal, step_facts, step_for_letter, step_refusal

Status = Letter.Status
MAX_RENDER_ATTEMPTS = 3
# What staff write on a draft besides the facts.
WRITTEN = ("summary", "addressee_name", "addressee_address", "addressee_email", "delivery")


class LetterError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def needs_head_teacher(letter: Letter) -> bool:
    """The letter of a step the Head Teacher approves (cases.ladder, the one copy of the
    rule): ban letters always, warning letters unless the school lets SLT send them."""
    step_kind = STEP_KIND.get(letter.kind)
    return step_kind is not None and needs_head_teacher_approval(step_kind)


def may_approve(user, letter: Letter) -> bool:
    return user.has_role(Role.HEAD_TEACHER) or (
        user.has_role(Role.SLT) and not needs_head_teacher(letter)
    )


@dataclass(frozen=True)
class Draft:
    summary: str
    addressee_name: str
    addressee_address: str
    addressee_email: str
    delivery: str
    # The reports the letter is about. None: those whose "who posted it" names the person
    # (or the case's only report); see letters.content.reports_about.
    reports: tuple | None = None
    # Facts staff checked, by Letter field (letters.content.FACTS). A fact the wording
    # states and this leaves out is prefilled from the reports, the step and the person.
    facts: Mapping[str, object] = field(default_factory=dict)

    def written(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in WRITTEN}


def _unusable(problem: str) -> str:
    return problem if problem.endswith(".") else f"{problem}."


def _check_template(kind: str, version) -> None:
    if problem := render_problem(kind, version.heading, version.body):
        raise LetterError(
            f"The template for this kind of letter cannot be used: {_unusable(problem)} "
            "Ask the admin to correct the template"
        )


def cannot_be_used(problem: str) -> str:
    """What staff are told about a letter whose text cannot be rendered."""
    return (
        f"This letter's template cannot be used: {_unusable(problem)} "
        "Ask the admin to correct the template, then make a new draft"
    )


def _check_renders(letter: Letter) -> None:
    """A letter whose text cannot be rendered is never sent for approval or approved."""
    if problem := letter_problem(letter):
        raise LetterError(cannot_be_used(problem))


def step_problem(letter: Letter, *, approving: bool = False) -> str | None:
    """Why this letter cannot be sent for approval (or, `approving`, approved) for want of
    the right step on the case, in the right state, with the same dates (letters.steps)."""
    version = letter.template_version
    stated = facts_stated(letter.kind, version.heading, version.body)
    return letter_step_refusal(letter, stated, approving=approving)


def _check_step(letter: Letter, *, approving: bool = False) -> None:
    """Refuse a letter whose step is missing, withdrawn, refused or not yet approved. The
    step's row is locked first, so it cannot be withdrawn until this transaction ends."""
    if letter.step_id:
        letter.step = (
            LadderStep.objects.select_for_update(no_key=True).filter(id=letter.step_id).first()
        )
    if problem := step_problem(letter, approving=approving):
        raise LetterError(problem)


def _step_to_carry_out(case, kind: str, person, step) -> LadderStep | None:
    """The step a new letter (or a correction) carries out: the one given, or else the one
    the map finds; refused if it is not one this letter may carry out now."""
    step = step or step_for_letter(case, kind, person)
    if refusal := step_refusal(kind, step, person, case.people.values_list("id", flat=True)):
        raise LetterError(refusal)
    return step


def _with_step_facts(kind: str, step, stated: list[str], facts: dict) -> dict:
    """The facts, with those the letter takes from its step (a ban's dates) from the step."""
    owned = step_facts(kind, step)
    return {**facts, **{name: owned[name] for name in stated if name in owned}}


def _reports_for(case, person, kind: str, chosen) -> list:
    if kind == LetterKind.REPORTER_NOTE:
        return []  # A note to a reporter is about their own report (Letter.report).
    if chosen is None:
        return reports_about(person, case.reports.select_related("group").order_by("id"))
    chosen = list(chosen)
    if any(report.case_id != case.id for report in chosen):
        raise LetterError("Select reports that are on this case", "reports")
    return chosen


def letter_draft(
    *, case, kind: str, draft: Draft, acting_user, step=None, person=None, report=None
) -> Letter:
    """A new draft from the kind's current template, recording that template version, the
    step it carries out (`step`, or the one letters.steps finds), the reports it is about,
    and every fact its wording states: those staff gave, the rest prefilled, and a ban's
    dates from the ban. Refused if the template cannot be rendered, or the case has no step
    this letter may carry out for this parent. Audited in the same transaction."""
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise LetterError(
            "There is no template for this kind of letter yet: ask the admin to add one"
        )
    version = template.history.latest()
    _check_template(kind, version)
    step = _step_to_carry_out(case, kind, person, step)
    reports = _reports_for(case, person, kind, draft.reports)
    prefilled = prefilled_facts(person=person, step=step, reports=reports)
    stated = facts_stated(kind, version.heading, version.body)
    facts = {name: draft.facts.get(name, prefilled[name]) for name in stated}
    facts = _with_step_facts(kind, step, stated, facts)
    with transaction.atomic():
        letter = Letter.objects.create(
            case=case,
            step=step,
            person=person,
            report=report,
            kind=kind,
            template=template,
            template_version=version,
            drafted_by=acting_user,
            **draft.written(),
            **facts,
        )
        letter.reports.set(reports)
        audit_record(
            action=AuditEvent.Action.LETTER_DRAFTED,
            obj=letter,
            actor=acting_user,
            case=case.id,
            reports=sorted(report.id for report in reports),
        )
    return letter


def _as_code(value) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _changes(before: dict, after: dict) -> dict:
    """For the audit event: old and new status, dates and report ids; only the names of
    changed text (never the text itself)."""
    changes: dict = {}
    for name in before.keys() & after.keys():
        old, new = before[name], after[name]
        if old == new:
            continue
        if name in ("status", "reports", "delivery") or isinstance(old or new, date):
            changes[name] = [_as_code(old), _as_code(new)]
        else:
            changes.setdefault("changed", []).append(name)
    changes.get("changed", []).sort()
    return changes


def _recorded(letter: Letter) -> dict:
    return {
        **{name: getattr(letter, name) for name in (*WRITTEN, *FACTS, "status")},
        "reports": sorted(letter.reports.values_list("id", flat=True)),
    }


def letter_edit(*, letter: Letter, draft: Draft, acting_user) -> Letter:
    """Change a draft (or a letter waiting for approval, which goes back to being a draft):
    what staff wrote, the reports it is about and the facts its wording states (a ban's
    dates are the ban's, taken again from it). Audited, with old and new status, dates and
    reports."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter.id)
        if not letter.is_editable:
            raise LetterError(
                "This letter has been approved and can no longer change: make a corrected version"
            )
        before = _recorded(letter)
        for name, value in draft.written().items():
            setattr(letter, name, value)
        version = letter.template_version
        stated = facts_stated(letter.kind, version.heading, version.body)
        given = {name: draft.facts[name] for name in stated if name in draft.facts}
        for name, value in _with_step_facts(letter.kind, letter.step, stated, given).items():
            setattr(letter, name, value)
        if draft.reports is not None:
            letter.reports.set(_reports_for(letter.case, letter.person, letter.kind, draft.reports))
        letter.status = Status.DRAFT  # A changed letter needs approving again.
        letter.save()
        audit_record(
            action=AuditEvent.Action.LETTER_EDITED,
            obj=letter,
            actor=acting_user,
            case=letter.case_id,
            **_changes(before, _recorded(letter)),
        )
    return letter


def letter_send_for_approval(*, letter: Letter, acting_user) -> Letter:
    """Send a draft to the Head Teacher. Refused if its text cannot be rendered, its step is
    not one it may carry out (letters.steps) or it cannot be delivered."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter.id)
        if letter.status != Status.DRAFT:
            raise LetterError("Only a draft can be sent for approval")
        _check_renders(letter)
        _check_step(letter)
        _check_deliverable(letter)
        letter.status = Status.AWAITING_APPROVAL
        letter.save(update_fields=["status"])
        audit_record(
            action=AuditEvent.Action.LETTER_SENT_FOR_APPROVAL, obj=letter, actor=acting_user
        )
    return letter


def _check_deliverable(letter: Letter) -> None:
    if letter.delivery == Letter.Delivery.POST and not letter.addressee_address.strip():
        raise LetterError(
            f"There is no postal address for {letter.addressee_name}. Add it to the letter "
            "(and to the register) before it can be approved for posting",
            "addressee_address",
        )
    if letter.delivery == Letter.Delivery.EMAIL:
        if not SchoolSettings.current().letters_may_be_emailed:
            raise LetterError(
                "The school does not allow letters to be e-mailed: choose post", "delivery"
            )
        if not letter.addressee_email:
            raise LetterError(
                f"There is no e-mail address for {letter.addressee_name}", "addressee_email"
            )


def letter_approve(*, letter: Letter, acting_user) -> Letter:
    """Approve a draft: its PDF is made by a worker, through the outbox, so the job is never
    lost. Ban letters (and warning letters, unless the school says otherwise) need the Head
    Teacher. Refused if its text cannot be rendered, it cannot be delivered, or its step is
    not in the state letters.steps needs to approve it (withdrawn meanwhile, say, or a
    warning letter step still waiting for the Head Teacher)."""
    if not may_approve(acting_user, letter):
        raise PermissionDenied("Only the Head Teacher can approve this letter.")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter.id)
        if not letter.is_editable:
            raise LetterError("This letter is not waiting for approval")
        _check_renders(letter)
        _check_step(letter, approving=True)
        _check_deliverable(letter)
        letter.status, letter.approved_by, letter.approved_at = (
            Status.RENDERING,
            acting_user,
            timezone.now(),
        )
        letter.letter_date = timezone.localdate()
        letter.save(update_fields=["status", "approved_by", "approved_at", "letter_date"])
        audit_record(
            action=AuditEvent.Action.LETTER_APPROVED,
            obj=letter,
            actor=acting_user,
            case=letter.case_id,
        )
        outbox_enqueue(kind=OutboxMessage.Kind.RENDER_LETTER, object_id=letter.id)
    return letter


def letter_preview_pdf(*, letter: Letter, acting_user) -> bytes:
    """The letter as it would print today, made now and not stored. Refused (LetterError)
    if its text cannot be rendered; once made, opening it is an audit event."""
    _check_renders(letter)
    on = letter.letter_date or timezone.localdate()
    content = html_to_pdf(letter_html(letter_context(letter, on)))
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.LETTER_PREVIEWED,
            obj=letter,
            actor=acting_user,
            case=letter.case_id,
        )
    return content


def _pdf_name(letter: Letter) -> str:
    return f"letters/{letter.id:06d}-v{letter.version}.pdf"


def _write_atomically(name: str, content: bytes) -> None:
    """Write to a fixed temporary name, then rename: a worker killed half-way leaves no
    half-written PDF under the real name, and the next attempt overwrites the same
    temporary file."""
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


class LetterChanged(Exception):
    """The letter (or the school's details on it) changed while its PDF was being made."""


def _letter_as_html(letter: Letter) -> str:
    return letter_html(letter_context(letter, letter.letter_date))


def letter_render(letter_id: int) -> None:
    """Make the approved letter's PDF once.

    The PDF is made outside any transaction of its own, holding no lock: on SQLite a
    transaction holds the database's one write lock, and a render takes seconds (the
    outbox runs its job outside a transaction too: see letters.jobs.render_letter). The letter is
    read and checked first; then, in one short transaction, it is locked again and the PDF
    is kept only if the letter is still waiting for it, has none, and would still print
    exactly as rendered (an erasure or a change to the school's details meanwhile: it is
    tried again).

    Idempotent: a second call (a duplicate job, a second worker, a worker killed mid-render
    whose job is redelivered) finds the PDF and does nothing; only one PDF is kept, written
    under a temporary name and renamed, so a killed worker leaves no half-written PDF. A
    failure is tried again as a new job, up to MAX_RENDER_ATTEMPTS; then the letter shows
    as failed, with a retry button for staff. Each outcome is audited with its change."""
    letter = _waiting_for_pdf(Letter.objects.filter(id=letter_id).first())
    if letter is None:
        return
    try:
        html = _letter_as_html(letter)
        content = html_to_pdf(html)
    except Exception as error:
        _record_failure(letter_id, error)
        return
    with transaction.atomic():
        letter = _waiting_for_pdf(Letter.objects.select_for_update().filter(id=letter_id).first())
        if letter is None:
            return  # Made meanwhile by another worker (theirs is kept), or no longer wanted.
        letter.render_attempts += 1
        try:
            if _letter_as_html(letter) != html:
                raise LetterChanged("the letter changed while its PDF was being made")
        except Exception as error:
            _render_failed(letter, error)
            return
        name = _pdf_name(letter)
        _write_atomically(name, content)
        letter.pdf.name, letter.pdf_sha256 = name, hashlib.sha256(content).hexdigest()
        letter.rendered_at, letter.render_error, letter.status = timezone.now(), "", Status.READY
        letter.save()
        _supersede(letter)
        audit_record(
            action=AuditEvent.Action.LETTER_RENDERED,
            obj=letter,
            actor_kind="system",
            sha256=letter.pdf_sha256,
        )


def _waiting_for_pdf(letter: Letter | None) -> Letter | None:
    """The letter, if it is approved and still waiting for its PDF; otherwise None."""
    if letter is None or letter.status != Status.RENDERING or letter.pdf:
        return None
    return letter


def _record_failure(letter_id: int, error: Exception) -> None:
    """Count a failed render, in a short transaction of its own, unless the letter stopped
    waiting for its PDF meanwhile (another worker made it)."""
    with transaction.atomic():
        letter = _waiting_for_pdf(Letter.objects.select_for_update().filter(id=letter_id).first())
        if letter is not None:
            letter.render_attempts += 1
            _render_failed(letter, error)


def _supersede(letter: Letter) -> None:
    if letter.supersedes_id:
        older = Letter.objects.select_for_update().get(id=letter.supersedes_id)
        older.status = Status.SUPERSEDED
        older.save(update_fields=["status"])


def _render_failed(letter: Letter, error: Exception) -> None:
    letter.render_error = type(error).__name__
    if letter.render_attempts < MAX_RENDER_ATTEMPTS:
        letter.save(update_fields=["render_attempts", "render_error"])
        outbox_enqueue(kind=OutboxMessage.Kind.RENDER_LETTER, object_id=letter.id)
        audit_record(  # The system tries again by itself: say so, with the attempt.
            action=AuditEvent.Action.LETTER_RENDER_RETRIED,
            obj=letter,
            actor_kind="system",
            render_attempts=[letter.render_attempts - 1, letter.render_attempts],
            error=letter.render_error,
        )
        return
    letter.status = Status.RENDER_FAILED
    letter.save(update_fields=["status", "render_attempts", "render_error"])
    audit_record(
        action=AuditEvent.Action.LETTER_RENDER_FAILED,
        obj=letter,
        actor_kind="system",
        error=letter.render_error,
    )


def letter_render_retry(*, letter: Letter, acting_user) -> Letter:
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter.id)
        if letter.status != Status.RENDER_FAILED:
            raise LetterError("Only a letter whose PDF failed can be retried")
        letter.status, letter.render_attempts = Status.RENDERING, 0
        letter.save(update_fields=["status", "render_attempts"])
        audit_record(action=AuditEvent.Action.LETTER_RENDER_RETRIED, obj=letter, actor=acting_user)
        outbox_enqueue(kind=OutboxMessage.Kind.RENDER_LETTER, object_id=letter.id)
    return letter


def letter_mark_printed(*, letter: Letter, acting_user) -> Letter:
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter.id)
        if (
            letter.status not in (Status.READY, Status.PRINTED)
            or letter.delivery != Letter.Delivery.POST
        ):
            raise LetterError("Only a letter ready to post can be marked printed")
        letter.status, letter.printed_at, letter.printed_by = (
            Status.PRINTED,
            timezone.now(),
            acting_user,
        )
        letter.save(update_fields=["status", "printed_at", "printed_by"])
        audit_record(action=AuditEvent.Action.LETTER_PRINTED, obj=letter, actor=acting_user)
    return letter


def letter_mark_posted(*, letter: Letter, posted_on: date, acting_user) -> Letter:
    if posted_on > timezone.localdate():
        raise LetterError("The date posted cannot be in the future", "posted_on")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter.id)
        if (
            letter.status not in (Status.READY, Status.PRINTED)
            or letter.delivery != Letter.Delivery.POST
        ):
            raise LetterError("Only a printed letter can be marked posted")
        if letter.approved_at and posted_on < timezone.localtime(letter.approved_at).date():
            raise LetterError(
                "The date posted cannot be before the letter was approved", "posted_on"
            )
        letter.status, letter.posted_on, letter.posted_by = Status.POSTED, posted_on, acting_user
        letter.save(update_fields=["status", "posted_on", "posted_by"])
        audit_record(action=AuditEvent.Action.LETTER_POSTED, obj=letter, actor=acting_user)
    return letter


def letter_email(*, letter: Letter, acting_user) -> Letter:
    """Send an approved letter's PDF by e-mail (through the outbox); recorded once sent."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter.id)
        if letter.status != Status.READY or letter.delivery != Letter.Delivery.EMAIL:
            raise LetterError("Only a letter ready to e-mail can be sent")
        _check_deliverable(letter)
        audit_record(action=AuditEvent.Action.LETTER_EMAIL_REQUESTED, obj=letter, actor=acting_user)
        outbox_enqueue(kind=OutboxMessage.Kind.EMAIL_LETTER, object_id=letter.id)
    return letter


def letter_correct(*, letter: Letter, acting_user) -> Letter:
    """A correction is a new version: a draft copied from this one, with its reports and
    facts, on the kind's current template (a fact that wording states and this letter did
    not is prefilled; a ban's dates are the ban's). Refused if that template cannot be
    rendered, or the letter's step is no longer one it may carry out (withdrawn, say).
    Once the new version's PDF is made, this one is marked superseded; both PDFs are
    kept."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(id=letter.id)
        if (
            letter.is_editable
            or letter.status == Status.SUPERSEDED
            or hasattr(letter, "superseded_by")
        ):
            raise LetterError("Only an approved letter that has no newer version can be corrected")
        template = LetterTemplate.objects.get(kind=letter.kind)
        version = template.history.latest()
        _check_template(letter.kind, version)
        step = _step_to_carry_out(letter.case, letter.kind, letter.person, letter.step)
        copied = {
            name: getattr(letter, name)
            for name in ("case", "person", "report", "kind", *WRITTEN, *FACTS)
        }
        reports = list(letter.reports.all())
        prefilled = prefilled_facts(person=letter.person, step=step, reports=reports)
        stated = facts_stated(letter.kind, version.heading, version.body)
        for name in stated:
            if copied[name] in ("", None):
                copied[name] = prefilled[name]
        copied = _with_step_facts(letter.kind, step, stated, copied)
        correction = Letter.objects.create(
            **copied,
            step=step,
            template=template,
            template_version=version,
            drafted_by=acting_user,
            version=letter.version + 1,
            supersedes=letter,
        )
        correction.reports.set(reports)
        audit_record(
            action=AuditEvent.Action.LETTER_DRAFTED,
            obj=correction,
            actor=acting_user,
            case=letter.case_id,
            corrects=letter.id,
            reports=sorted(report.id for report in reports),
        )
    return correction
