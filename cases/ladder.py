"""The policy's escalation ladder, and every rule that moves a case along it.

"The school will always respond to an incident in a proportional way. The final decision
for how to respond to breaches of the code of conduct rests with the Head Teacher."

Each function here is one action on a case. It locks the case row, checks the version the
member of staff was looking at (so two people cannot both move the case from the same
starting point), applies the policy's rules, records an audit event, and bumps the
version, all in one transaction. Views and tasks never change a step or a decision
themselves.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.school.models import SchoolSettings
from reports.models import Report

from .models import Case, Decision, LadderStep

Kind = LadderStep.Kind
Status = LadderStep.Status

# The policy's responses in order. Moderator removal is not a rung: it can happen any time.
RUNGS: dict[str, int] = {
    Kind.INFORMATION_GATHERING: 1,
    Kind.MEETING: 2,
    Kind.WARNING_LETTER: 3,
    Kind.AUTHORITIES: 4,
    Kind.LEGAL_ADVICE: 5,
    Kind.SITE_BAN: 6,
}
# "Contact the appropriate authorities", "seek advice from our legal team", "ban the parent
# from the school site": serious steps take effect only once the Head Teacher approves.
NEEDS_HEAD_TEACHER_APPROVAL = {Kind.AUTHORITIES, Kind.LEGAL_ADVICE, Kind.SITE_BAN}


def needs_head_teacher_approval(kind: str) -> bool:
    """Serious steps always; a warning letter too, unless the school lets SLT send them."""
    if kind == Kind.WARNING_LETTER:
        return not SchoolSettings.current().slt_may_send_warning_letters
    return kind in NEEDS_HEAD_TEACHER_APPROVAL


# Steps that still count towards the next rung (not withdrawn, not refused).
COUNTING = [Status.AWAITING_APPROVAL, Status.IN_PROGRESS, Status.COMPLETED]


class LadderError(Exception):
    """A rule of the policy refused the action; `message` says why, `field` where."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleCase(LadderError):
    def __init__(self):
        super().__init__(
            "Someone else changed this case while you were looking at it. "
            "Your change was not saved: check the case as it is now and try again."
        )


def _require_head_teacher(user) -> None:
    if not user.is_head_teacher():
        raise PermissionDenied("Only the Head Teacher can do this.")


def case_lock(case: Case, version: int) -> Case:
    """Lock the case row and check nobody moved it since the form was shown."""
    locked = Case.objects.select_for_update().get(id=case.id)
    if locked.version != version:
        raise StaleCase
    if locked.status == Case.Status.CLOSED:
        raise LadderError("This case is closed. Reopen it before changing it.")
    return locked


def case_bump(case: Case, *changed: str) -> None:
    """Save the case's changed fields with its next version, in one write."""
    case.version += 1
    case.save(update_fields=["version", *changed])


def next_rung_from(steps) -> int:
    """The highest rung these steps reached (not counting withdrawn or refused), plus one."""
    return max((RUNGS.get(s.kind, 0) for s in steps if s.status in COUNTING), default=0) + 1


def next_rung(case: Case) -> int:
    return next_rung_from(case.steps.filter(status__in=COUNTING).only("kind", "status"))


def is_a_skip(case: Case, kind: str) -> bool:
    return RUNGS.get(kind, 0) > next_rung(case)


@dataclass(frozen=True)
class StepProposal:
    kind: str
    rationale: str
    skip_reason: str = ""
    person_id: int | None = None
    due_on: date | None = None
    notes: str = ""
    meeting_at: object = None
    attendees: str = ""
    ban_type: str = ""
    ban_starts_on: date | None = None
    ban_ends_on: date | None = None
    review_on: date | None = None
    representations_invited_on: date | None = None
    representations_deadline: date | None = None
    urgent: bool = False
    urgent_reasons: str = ""


def step_propose(*, case: Case, version: int, proposal: StepProposal, acting_user) -> LadderStep:
    """Add a step. Proportionality: a step above the next rung needs a reason for skipping.
    Steps that need the Head Teacher wait for approval; others are in progress at once."""
    with transaction.atomic():
        case = case_lock(case, version)
        _check_proposal(case, proposal)
        kind = proposal.kind
        waits = needs_head_teacher_approval(kind)
        status = Status.AWAITING_APPROVAL if waits else Status.IN_PROGRESS
        step = LadderStep.objects.create(
            case=case, status=status, proposed_by=acting_user, **proposal.__dict__
        )
        audit_record(
            action=AuditEvent.Action.STEP_PROPOSED,
            obj=step,
            actor=acting_user,
            case=case.id,
            kind=kind,
            skipped=bool(proposal.skip_reason),
        )
        case_bump(case)
    return step


def _check_proposal(case: Case, proposal: StepProposal) -> None:
    if not proposal.rationale.strip():
        raise LadderError("Explain why this step is proportionate", "rationale")
    if is_a_skip(case, proposal.kind) and not proposal.skip_reason.strip():
        raise LadderError(
            "This step is above the next step on the ladder. Explain why the steps before it "
            "are being skipped",
            "skip_reason",
        )
    if proposal.kind == Kind.SITE_BAN:
        _check_ban(proposal)


def _check_ban(proposal: StepProposal) -> None:
    """Every ban carries a review date, and the parent may make representations first,
    unless the Head Teacher records an urgent temporary ban with reasons."""
    if not proposal.ban_type:
        raise LadderError("Select whether the ban is temporary or full", "ban_type")
    if not proposal.ban_starts_on:
        raise LadderError("Enter the date the ban starts", "ban_starts_on")
    if proposal.ban_ends_on and proposal.ban_ends_on < proposal.ban_starts_on:
        raise LadderError("The ban must end on or after the day it starts", "ban_ends_on")
    if not proposal.review_on:
        raise LadderError("Enter a date to review the ban", "review_on")
    if proposal.review_on < proposal.ban_starts_on:
        raise LadderError("The review date must be on or after the day the ban starts", "review_on")
    if proposal.urgent:
        if proposal.ban_type != LadderStep.BanType.TEMPORARY:
            raise LadderError("An urgent ban must be temporary", "ban_type")
        if not proposal.urgent_reasons.strip():
            raise LadderError(
                "Give the reasons the ban cannot wait for representations", "urgent_reasons"
            )
        return
    if not (proposal.representations_invited_on and proposal.representations_deadline):
        raise LadderError(
            "Give the date the parent was invited to make representations, and the deadline",
            "representations_deadline",
        )
    if proposal.representations_deadline < proposal.representations_invited_on:
        raise LadderError("The deadline must be after the invitation", "representations_deadline")


def step_record_representations(
    *, step: LadderStep, version: int, representations: str, acting_user
) -> None:
    """What the parent said before a ban (or that they did not respond)."""
    if not representations.strip():
        raise LadderError(
            "Record what the parent said, or that they did not respond", "representations"
        )
    with transaction.atomic():
        case = case_lock(step.case, version)
        step = LadderStep.objects.select_for_update().get(id=step.id)
        step.representations = representations.strip()
        step.representations_recorded_at = timezone.now()
        step.save(update_fields=["representations", "representations_recorded_at"])
        audit_record(
            action=AuditEvent.Action.REPRESENTATIONS_RECORDED,
            obj=step,
            actor=acting_user,
            case=case.id,
        )
        case_bump(case)


def can_approve(step: LadderStep, today: date | None = None) -> str | None:
    """Why the Head Teacher cannot approve this step yet, or None if they can."""
    if step.status != Status.AWAITING_APPROVAL:
        return "This step is not waiting for approval"
    if step.kind == Kind.SITE_BAN and not step.urgent:
        today = today or timezone.localdate()
        if not step.representations_recorded_at and step.representations_deadline >= today:
            return (
                "The parent can still make representations until "
                f"{step.representations_deadline:%-d %B %Y}. Record what they said, or wait "
                "until the deadline has passed and record that they did not respond"
            )
        if not step.representations_recorded_at:
            return "Record the parent's representations (or that they did not respond) first"
    return None


def step_approve(
    *, step: LadderStep, version: int, approve: bool, note: str, acting_user
) -> LadderStep:
    """The Head Teacher approves (the step takes effect) or refuses a serious step."""
    _require_head_teacher(acting_user)
    with transaction.atomic():
        case = case_lock(step.case, version)
        step = LadderStep.objects.select_for_update().get(id=step.id)
        if approve and (reason := can_approve(step)):
            raise LadderError(reason)
        if not approve and step.status != Status.AWAITING_APPROVAL:
            raise LadderError("This step is not waiting for approval")
        if not approve and not note.strip():
            raise LadderError("Give a reason for not approving the step", "note")
        step.status = Status.IN_PROGRESS if approve else Status.NOT_APPROVED
        step.decided_by, step.decided_at, step.decision_note = (
            acting_user,
            timezone.now(),
            note.strip(),
        )
        step.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        action = AuditEvent.Action.STEP_APPROVED if approve else AuditEvent.Action.STEP_NOT_APPROVED
        audit_record(action=action, obj=step, actor=acting_user, case=case.id, kind=step.kind)
        case_bump(case)
    return step


def step_complete(
    *, step: LadderStep, version: int, outcome: str, minutes: str, acting_user
) -> LadderStep:
    """Record how a step went. A meeting records its minutes."""
    if not outcome.strip():
        raise LadderError("Record the outcome of the step", "outcome")
    with transaction.atomic():
        case = case_lock(step.case, version)
        step = LadderStep.objects.select_for_update().get(id=step.id)
        if step.status != Status.IN_PROGRESS:
            raise LadderError("Only a step in progress can be completed")
        step.status, step.outcome, step.completed_at = (
            Status.COMPLETED,
            outcome.strip(),
            timezone.now(),
        )
        if minutes.strip():
            step.minutes = minutes.strip()
        step.save(update_fields=["status", "outcome", "completed_at", "minutes"])
        audit_record(
            action=AuditEvent.Action.STEP_COMPLETED, obj=step, actor=acting_user, case=case.id
        )
        case_bump(case)
    return step


def step_withdraw(*, step: LadderStep, version: int, reason: str, acting_user) -> LadderStep:
    """Steps are withdrawn, never deleted: the record of what was proposed stays."""
    if not reason.strip():
        raise LadderError("Give a reason for withdrawing the step", "reason")
    with transaction.atomic():
        case = case_lock(step.case, version)
        step = LadderStep.objects.select_for_update().get(id=step.id)
        if not step.is_open:
            raise LadderError("Only a step that is still open can be withdrawn")
        step.status = Status.WITHDRAWN
        step.withdrawn_by, step.withdrawn_at, step.withdrawn_reason = (
            acting_user,
            timezone.now(),
            reason.strip(),
        )
        step.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
        audit_record(
            action=AuditEvent.Action.STEP_WITHDRAWN, obj=step, actor=acting_user, case=case.id
        )
        case_bump(case)
    return step


@dataclass(frozen=True)
class DecisionDetails:
    outcome: str
    reasons: str
    decided_on: date
    ban_starts_on: date | None = None
    ban_ends_on: date | None = None


def case_decide(*, case: Case, version: int, details: DecisionDetails, acting_user) -> Decision:
    """The Head Teacher records (or changes) the final decision. Steps still waiting for
    approval must be dealt with first. A change keeps the old decision in history."""
    _require_head_teacher(acting_user)
    _check_decision(details)
    with transaction.atomic():
        case = case_lock(case, version)
        if case.steps.filter(status=Status.AWAITING_APPROVAL).exists():
            raise LadderError(
                "Approve, refuse or withdraw the steps waiting for approval before deciding"
            )
        decision, created = Decision.objects.select_for_update().get_or_create(
            case=case, defaults={**details.__dict__, "decided_by": acting_user}
        )
        if not created:
            for field, value in details.__dict__.items():
                setattr(decision, field, value)
            decision.decided_by = acting_user
            decision.save()
        action = (
            AuditEvent.Action.DECISION_RECORDED if created else AuditEvent.Action.DECISION_CHANGED
        )
        audit_record(action=action, obj=case, actor=acting_user, outcome=details.outcome)
        case_bump(case)
    return decision


def _check_decision(details: DecisionDetails) -> None:
    if not details.reasons.strip():
        raise LadderError("Give the reasons for the decision", "reasons")
    if details.decided_on > timezone.localdate():
        raise LadderError("The decision date cannot be in the future", "decided_on")
    if details.outcome == Decision.Outcome.SITE_BAN and not details.ban_starts_on:
        raise LadderError("Enter the date the site ban starts", "ban_starts_on")
    if (
        details.ban_starts_on
        and details.ban_ends_on
        and details.ban_ends_on < details.ban_starts_on
    ):
        raise LadderError("The ban must end on or after the day it starts", "ban_ends_on")


def case_close(*, case: Case, version: int, acting_user) -> Case:
    """Closing needs the Head Teacher's final decision and no step left open.
    Its reports close too, so their reporters see the case has finished."""
    with transaction.atomic():
        case = case_lock(case, version)
        if not Decision.objects.filter(case=case).exists():
            raise LadderError(
                "The Head Teacher must record the final decision before the case is closed"
            )
        if case.steps.filter(status__in=[Status.AWAITING_APPROVAL, Status.IN_PROGRESS]).exists():
            raise LadderError("Complete or withdraw the open steps before closing the case")
        case.status, case.closed_at = Case.Status.CLOSED, timezone.now()
        case_bump(case, "status", "closed_at")
        for report in Report.objects.filter(case=case).select_for_update():
            report.status = Report.Status.CLOSED
            report.save(update_fields=["status", "updated_at"])
        audit_record(action=AuditEvent.Action.CASE_CLOSED, obj=case, actor=acting_user)
    return case
