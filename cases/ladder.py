"""The policy's escalation ladder, and every rule that moves a case along it.

"The school will always respond to an incident in a proportional way. The final decision
for how to respond to breaches of the code of conduct rests with the Head Teacher."

Each function here is one action on a case. It locks the case row, checks the version the
member of staff was looking at (so two people cannot both move the case from the same
starting point), applies the policy's rules, records an audit event, and bumps the
version, all in one transaction. Views and tasks never change a step or a decision
themselves. A refusal is a LadderError: its message is in plain words, and its field says
which part of the form it is about.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from brunswick.school.models import SchoolSettings
from reports.models import Report

from .models import Case, CaseReopening, Decision, LadderStep

Kind = LadderStep.Kind
Status = LadderStep.Status
Outcome = Decision.Outcome

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
# A step still open: one of each kind per case (and the database's
# one_open_step_of_each_kind_per_case says so too).
OPEN = [Status.AWAITING_APPROVAL, Status.IN_PROGRESS]
# A step that took effect: added, or approved by the Head Teacher where it had to be.
IN_EFFECT = (Status.IN_PROGRESS, Status.COMPLETED)


@dataclass(frozen=True)
class StepNeeded:
    """The step a final decision rests on, and what the Head Teacher is told without it."""

    kind: str
    statuses: tuple[str, ...]
    refusal: str


# "The final decision ... rests with the Head Teacher", and it must agree with what the
# school did. "No breach" and "advice given" need no step.
DECISION_NEEDS: dict[str, StepNeeded] = {
    Outcome.WARNING_ISSUED: StepNeeded(
        Kind.WARNING_LETTER,
        IN_EFFECT,
        "A warning decision needs a warning letter step, in progress or completed. "
        "Add the warning letter step first.",
    ),
    Outcome.MEETING_HELD: StepNeeded(
        Kind.MEETING,
        (Status.COMPLETED,),
        "A meeting held decision needs a meeting step with its outcome recorded. "
        "Add the meeting, or record its outcome, first.",
    ),
    Outcome.AUTHORITIES_INFORMED: StepNeeded(
        Kind.AUTHORITIES,
        IN_EFFECT,
        "An authorities informed decision needs a step to contact the authorities, approved "
        "by the Head Teacher. Propose contacting the authorities first.",
    ),
    Outcome.LEGAL_ADVICE_SOUGHT: StepNeeded(
        Kind.LEGAL_ADVICE,
        IN_EFFECT,
        "A legal advice decision needs a step to seek legal advice, approved by the Head "
        "Teacher. Propose seeking legal advice first.",
    ),
    # An urgent temporary ban is a site ban step too, approved by the Head Teacher at once.
    Outcome.SITE_BAN: StepNeeded(
        Kind.SITE_BAN,
        IN_EFFECT,
        "A site ban decision needs a site ban step approved by the Head Teacher. "
        "Propose the site ban first.",
    ),
    Outcome.GROUP_REMOVAL: StepNeeded(
        Kind.MODERATOR_REMOVAL,
        IN_EFFECT,
        "A removed from the group decision needs a record that a group moderator removed "
        "the parent. Record the removal first.",
    ),
}


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


CLOSED_MESSAGE = "This case is closed. The Head Teacher can reopen it."


def on(day: date) -> str:
    """A date as the school writes it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def _require_head_teacher(user) -> None:
    if not user.is_head_teacher():
        raise PermissionDenied("Only the Head Teacher can do this.")


def _lock(case: Case, version: int) -> Case:
    # FOR NO KEY UPDATE (PostgreSQL; SQLite has one writer anyway): it still queues every
    # action on the case behind the one in hand, and the purge and legal holds (FOR
    # UPDATE) behind both, but it does not block a row being added that refers to the
    # case. So a step inserted by another transaction meets this one at the unique index,
    # where step_propose turns the clash into a refusal, never at a deadlock.
    locked = Case.objects.select_for_update(no_key=True).get(id=case.id)
    if locked.version != version:
        raise StaleCase
    return locked


def case_lock(case: Case, version: int) -> Case:
    """Lock the case row and check nobody moved it since the form was shown, and that it
    is still open."""
    locked = _lock(case, version)
    if locked.status == Case.Status.CLOSED:
        raise LadderError(CLOSED_MESSAGE)
    return locked


def case_bump(case: Case, *changed: str) -> None:
    """Save the case's changed fields with its next version, in one write."""
    case.version += 1
    case.save(update_fields=["version", *changed])


def opened_on(case: Case) -> date:
    return timezone.localdate(case.opened_at)


def _not_before_opening(case: Case, day: date | None, field: str, what: str) -> None:
    """No date on a case comes before the case itself."""
    if day and day < opened_on(case):
        raise LadderError(
            f"{what} cannot be before the case was opened on {on(opened_on(case))}", field
        )


def next_rung_from(steps) -> int:
    """The highest rung these steps reached (not counting withdrawn or refused), plus one."""
    return max((RUNGS.get(s.kind, 0) for s in steps if s.status in COUNTING), default=0) + 1


def next_rung(case: Case) -> int:
    return next_rung_from(case.steps.filter(status__in=COUNTING).only("kind", "status"))


def is_a_skip(case: Case, kind: str) -> bool:
    return RUNGS.get(kind, 0) > next_rung(case)


def open_step_refusal(case: Case, kind: str) -> str | None:
    """A kind of step is open once per case: the second would duplicate the first."""
    if case.steps.filter(kind=kind, status__in=OPEN).exists():
        return (
            f"This case already has an open step: {Kind(kind).label}. "
            "Complete or withdraw it first."
        )
    return None


@dataclass(frozen=True)
class StepProposal:
    kind: str
    rationale: str
    skip_reason: str = ""
    person_id: int | None = None
    due_on: date | None = None
    notes: str = ""
    meeting_at: datetime | None = None
    attendees: str = ""
    ban_type: str = ""
    ban_starts_on: date | None = None
    ban_ends_on: date | None = None
    review_on: date | None = None
    representations_invited_on: date | None = None
    representations_deadline: date | None = None
    urgent: bool = False
    urgent_reasons: str = ""


# Every date a step can carry, as a refusal names it.
STEP_DATES = {
    "due_on": "The due date",
    "ban_starts_on": "The date the ban starts",
    "ban_ends_on": "The date the ban ends",
    "review_on": "The review date",
    "representations_invited_on": "The date the parent was invited to make representations",
    "representations_deadline": "The deadline for representations",
}


def step_propose(*, case: Case, version: int, proposal: StepProposal, acting_user) -> LadderStep:
    """Add a step. Proportionality: a step above the next rung needs a reason for skipping.
    Steps that need the Head Teacher wait for approval; others are in progress at once. A
    moderator's removal is recorded as done: the school records it, it does not do it.
    One open step of each kind per case, held by the database too: a proposal that loses
    a race to another gets the same refusal, and nothing is saved."""
    with transaction.atomic():
        case = case_lock(case, version)
        _check_proposal(case, proposal)
        kind = proposal.kind
        if kind == Kind.MODERATOR_REMOVAL:
            status, completed_at = Status.COMPLETED, timezone.now()
        elif needs_head_teacher_approval(kind):
            status, completed_at = Status.AWAITING_APPROVAL, None
        else:
            status, completed_at = Status.IN_PROGRESS, None
        try:
            with transaction.atomic():  # A savepoint: the refusal below can still query.
                step = LadderStep.objects.create(
                    case=case,
                    status=status,
                    completed_at=completed_at,
                    proposed_by=acting_user,
                    **proposal.__dict__,
                )
        except IntegrityError:
            if refusal := open_step_refusal(case, kind):
                raise LadderError(refusal) from None
            raise
        audit_record(
            action=AuditEvent.Action.STEP_PROPOSED,
            obj=step,
            actor=acting_user,
            case=case.id,
            kind=kind,
            status=status,
            skipped=bool(proposal.skip_reason),
        )
        case_bump(case)
    return step


def _check_proposal(case: Case, proposal: StepProposal) -> None:
    if proposal.kind not in Kind.values:
        raise LadderError("Select a step from the ladder")
    if not proposal.rationale.strip():
        raise LadderError("Explain why this step is proportionate", "rationale")
    if proposal.person_id and not case.people.filter(id=proposal.person_id).exists():
        raise LadderError("Select a parent who is on this case", "person")
    if refusal := open_step_refusal(case, proposal.kind):
        raise LadderError(refusal)
    if is_a_skip(case, proposal.kind) and not proposal.skip_reason.strip():
        raise LadderError(
            "This step is above the next step on the ladder. Explain why the steps before it "
            "are being skipped",
            "skip_reason",
        )
    for field, what in STEP_DATES.items():
        _not_before_opening(case, getattr(proposal, field), field, what)
    if proposal.meeting_at:
        meeting_on = timezone.localtime(proposal.meeting_at).date()
        _not_before_opening(case, meeting_on, "meeting_at", "The meeting date")
    if proposal.kind == Kind.SITE_BAN:
        _check_ban(proposal, timezone.localdate())


def _check_ban(proposal: StepProposal, today: date) -> None:
    """Every ban carries a review date, and the parent may make representations first: the
    deadline is still to come when the ban is proposed (a deadline already past was never
    the parent's chance), and the ban starts after it. An urgent temporary ban recorded by
    the Head Teacher with reasons may start at once. No ban starts in the past."""
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
    if proposal.ban_starts_on < today:
        raise LadderError("The ban cannot start in the past", "ban_starts_on")
    if proposal.urgent:
        if proposal.ban_type != LadderStep.BanType.TEMPORARY:
            raise LadderError("An urgent ban must be temporary", "ban_type")
        if not proposal.urgent_reasons.strip():
            raise LadderError(
                "Give the reasons the ban cannot wait for representations", "urgent_reasons"
            )
        return
    invited, deadline = proposal.representations_invited_on, proposal.representations_deadline
    if not invited:
        raise LadderError(
            "Enter the date the parent was invited to make representations",
            "representations_invited_on",
        )
    if not deadline:
        raise LadderError("Enter the deadline for representations", "representations_deadline")
    if deadline <= invited:
        raise LadderError(
            "The deadline for representations must be after the day the parent was invited",
            "representations_deadline",
        )
    if deadline < today:
        raise LadderError(
            "The deadline for representations has already passed, so the parent has had no "
            "chance to respond to this ban. Invite them again with a deadline still to come",
            "representations_deadline",
        )
    if proposal.ban_starts_on <= deadline:
        raise LadderError(
            "The ban must start after the deadline for representations: the parent can still "
            f"respond on {on(deadline)}",
            "ban_starts_on",
        )


def step_record_representations(
    *,
    step: LadderStep,
    version: int,
    received: bool | None,
    representations: str,
    acting_user,
    today: date | None = None,
) -> None:
    """Before a ban that is not urgent: what the parent said, or, once the deadline has
    passed, that they did not respond. Recorded while the ban waits for approval; a second
    recording replaces the first (history keeps it)."""
    with transaction.atomic():
        case = case_lock(step.case, version)
        step = LadderStep.objects.select_for_update().get(id=step.id)
        _check_representations(step, received, representations, today or timezone.localdate())
        before = step.representations_received
        step.representations_received = received
        step.representations = representations.strip() if received else ""
        step.representations_recorded_at = timezone.now()
        step.save(
            update_fields=[
                "representations_received",
                "representations",
                "representations_recorded_at",
            ]
        )
        audit_record(
            action=AuditEvent.Action.REPRESENTATIONS_RECORDED,
            obj=step,
            actor=acting_user,
            case=case.id,
            representations_received=[before, received],
        )
        case_bump(case)


def _check_representations(step: LadderStep, received, text: str, today: date) -> None:
    if step.kind != Kind.SITE_BAN or step.urgent:
        raise LadderError("Representations are recorded only for a site ban that is not urgent")
    if step.status != Status.AWAITING_APPROVAL:
        raise LadderError(
            "Representations are recorded while the ban waits for the Head Teacher's approval"
        )
    if received is None:
        raise LadderError(
            "Select whether the parent made representations or did not respond", "received"
        )
    if received and not text.strip():
        raise LadderError("Enter what the parent said", "representations")
    if not received and text.strip():
        raise LadderError(
            "You chose that the parent did not respond: leave what the parent said blank, or "
            "choose that they made representations",
            "representations",
        )
    deadline = step.representations_deadline
    if not received and (deadline is None or today <= deadline):
        after = f", {on(deadline)}" if deadline else " for representations"
        raise LadderError(
            f"You can record that the parent did not respond after the deadline{after}",
            "received",
        )


def can_approve(step: LadderStep, today: date | None = None) -> str | None:
    """Why the Head Teacher cannot approve this step yet, or None if they can. A ban that
    is not urgent waits for the parent's representations, or for its deadline to pass with
    no response recorded."""
    if step.status != Status.AWAITING_APPROVAL:
        return "This step is not waiting for approval"
    if step.kind != Kind.SITE_BAN:
        return None
    today = today or timezone.localdate()
    if step.ban_starts_on and step.ban_starts_on < today:
        return (
            f"This ban was to start on {on(step.ban_starts_on)}, which has passed. Do not "
            "approve it: the ban must be proposed again with dates still to come"
        )
    if step.urgent:
        return None
    deadline = step.representations_deadline
    if step.representations_received is True:
        return None
    if step.representations_received is False and deadline and deadline < today:
        return None
    if deadline and deadline >= today:
        return (
            f"The parent can still make representations until {on(deadline)}. Record what "
            "they said, or wait until the deadline has passed and record that they did not "
            "respond"
        )
    return "Record whether the parent made representations, or that they did not respond, first"


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
        before = step.status
        step.status = Status.IN_PROGRESS if approve else Status.NOT_APPROVED
        step.decided_by, step.decided_at, step.decision_note = (
            acting_user,
            timezone.now(),
            note.strip(),
        )
        step.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        action = AuditEvent.Action.STEP_APPROVED if approve else AuditEvent.Action.STEP_NOT_APPROVED
        audit_record(
            action=action,
            obj=step,
            actor=acting_user,
            case=case.id,
            kind=step.kind,
            status=[before, step.status],
        )
        case_bump(case)
    return step


def step_complete(
    *, step: LadderStep, version: int, outcome: str, minutes: str, acting_user
) -> LadderStep:
    """Record how a step went. A meeting records its minutes, once it has taken place; a
    ban's outcome is recorded once it has started."""
    if not outcome.strip():
        raise LadderError("Record the outcome of the step", "outcome")
    with transaction.atomic():
        case = case_lock(step.case, version)
        step = LadderStep.objects.select_for_update().get(id=step.id)
        if step.status != Status.IN_PROGRESS:
            raise LadderError("Only a step in progress can be completed")
        _check_it_happened(step)
        step.status, step.outcome, step.completed_at = (
            Status.COMPLETED,
            outcome.strip(),
            timezone.now(),
        )
        if minutes.strip():
            step.minutes = minutes.strip()
        step.save(update_fields=["status", "outcome", "completed_at", "minutes"])
        audit_record(
            action=AuditEvent.Action.STEP_COMPLETED,
            obj=step,
            actor=acting_user,
            case=case.id,
            status=[Status.IN_PROGRESS, Status.COMPLETED],
        )
        case_bump(case)
    return step


def _check_it_happened(step: LadderStep) -> None:
    starts = step.ban_starts_on
    if step.kind == Kind.SITE_BAN and starts and starts > timezone.localdate():
        raise LadderError(
            f"The ban starts on {on(starts)}. You can record its outcome once it has started",
            "outcome",
        )
    if step.kind == Kind.MEETING and step.meeting_at and step.meeting_at > timezone.now():
        at = timezone.localtime(step.meeting_at)
        raise LadderError(
            f"The meeting is on {on(at.date())} at {at:%H:%M}. "
            "You can record its outcome once it has taken place",
            "outcome",
        )


def step_withdraw(*, step: LadderStep, version: int, reason: str, acting_user) -> LadderStep:
    """Steps are withdrawn, never deleted: the record of what was proposed stays. A step
    the Head Teacher approved is withdrawn by the Head Teacher only, and not while the
    final decision rests on it."""
    if not reason.strip():
        raise LadderError("Give a reason for withdrawing the step", "reason")
    with transaction.atomic():
        case = case_lock(step.case, version)
        step = LadderStep.objects.select_for_update().get(id=step.id)
        if not step.is_open:
            raise LadderError("Only a step that is still open can be withdrawn")
        if step.decided_at and not acting_user.is_head_teacher():
            raise LadderError("The Head Teacher approved this step: only they can withdraw it")
        _check_decision_does_not_rest_on(case, step)
        before = step.status
        step.status = Status.WITHDRAWN
        step.withdrawn_by, step.withdrawn_at, step.withdrawn_reason = (
            acting_user,
            timezone.now(),
            reason.strip(),
        )
        step.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
        audit_record(
            action=AuditEvent.Action.STEP_WITHDRAWN,
            obj=step,
            actor=acting_user,
            case=case.id,
            status=[before, Status.WITHDRAWN],
        )
        case_bump(case)
    return step


def _check_decision_does_not_rest_on(case: Case, step: LadderStep) -> None:
    decision = Decision.objects.filter(case=case).first()
    needed = DECISION_NEEDS.get(decision.outcome) if decision else None
    if needed is None or needed.kind != step.kind or step.status not in needed.statuses:
        return
    others = case.steps.filter(kind=step.kind, status__in=needed.statuses).exclude(id=step.id)
    if not others.exists():
        raise LadderError(
            f"The final decision ({decision.get_outcome_display()}) rests on this step. "
            "The Head Teacher must change the decision before the step is withdrawn"
        )


def decision_refusal(case: Case, outcome: str) -> str | None:
    """Why this outcome does not agree with the steps taken on the case, or None."""
    needed = DECISION_NEEDS.get(outcome)
    if needed and not case.steps.filter(kind=needed.kind, status__in=needed.statuses).exists():
        return needed.refusal
    return None


def ban_in_effect(case: Case) -> LadderStep | None:
    """The latest site ban step that took effect: its dates are the decision's."""
    return (
        case.steps.filter(kind=Kind.SITE_BAN, status__in=IN_EFFECT)
        .order_by("-proposed_at", "-id")
        .first()
    )


def ban_period(step: LadderStep) -> str:
    if not step.ban_starts_on:
        return "with no start date recorded"
    if step.ban_ends_on:
        return f"from {on(step.ban_starts_on)} to {on(step.ban_ends_on)}"
    return f"from {on(step.ban_starts_on)}, with no end date"


@dataclass(frozen=True)
class DecisionDetails:
    outcome: str
    reasons: str
    decided_on: date
    ban_starts_on: date | None = None
    ban_ends_on: date | None = None


def case_decide(*, case: Case, version: int, details: DecisionDetails, acting_user) -> Decision:
    """The Head Teacher records (or changes, or confirms after a reopening) the final
    decision. It must agree with the steps taken (DECISION_NEEDS), a site ban's dates with
    the approved ban's. Steps still waiting for approval must be dealt with first. A change
    keeps the old decision in history."""
    _require_head_teacher(acting_user)
    _check_decision(details)
    with transaction.atomic():
        case = case_lock(case, version)
        if case.steps.filter(status=Status.AWAITING_APPROVAL).exists():
            raise LadderError(
                "Approve, refuse or withdraw the steps waiting for approval before deciding"
            )
        _check_decision_agrees_with_case(case, details)
        decision, created = Decision.objects.select_for_update().get_or_create(
            case=case, defaults={**details.__dict__, "decided_by": acting_user}
        )
        before = decision.outcome
        if not created:
            for field, value in details.__dict__.items():
                setattr(decision, field, value)
            decision.decided_by = acting_user
            decision.save()
        if created:
            action, outcome = AuditEvent.Action.DECISION_RECORDED, details.outcome
        else:
            action, outcome = AuditEvent.Action.DECISION_CHANGED, [before, details.outcome]
        audit_record(action=action, obj=case, actor=acting_user, outcome=outcome)
        case_bump(case)
    return decision


def _check_decision(details: DecisionDetails) -> None:
    if not details.reasons.strip():
        raise LadderError("Give the reasons for the decision", "reasons")
    if details.decided_on > timezone.localdate():
        raise LadderError("The decision date cannot be in the future", "decided_on")
    if details.outcome != Outcome.SITE_BAN:
        if details.ban_starts_on or details.ban_ends_on:
            raise LadderError(
                "Only a site ban decision has ban dates. Leave them blank, or choose Site ban",
                "ban_starts_on",
            )
        return
    if not details.ban_starts_on:
        raise LadderError("Enter the date the site ban starts", "ban_starts_on")
    if details.ban_ends_on and details.ban_ends_on < details.ban_starts_on:
        raise LadderError("The ban must end on or after the day it starts", "ban_ends_on")


def _check_decision_agrees_with_case(case: Case, details: DecisionDetails) -> None:
    _not_before_opening(case, details.decided_on, "decided_on", "The date of the decision")
    _not_before_opening(case, details.ban_starts_on, "ban_starts_on", "The date the ban starts")
    if refusal := decision_refusal(case, details.outcome):
        raise LadderError(refusal, "outcome")
    if details.outcome != Outcome.SITE_BAN:
        return
    bans = case.steps.filter(kind=Kind.SITE_BAN, status__in=IN_EFFECT)
    dates = (details.ban_starts_on, details.ban_ends_on)
    if not any((ban.ban_starts_on, ban.ban_ends_on) == dates for ban in bans):
        raise LadderError(
            "The ban dates must be those of the site ban the Head Teacher approved: "
            f"{ban_period(ban_in_effect(case))}",
            "ban_starts_on",
        )


def latest_reopening(case: Case) -> CaseReopening | None:
    return case.reopenings.order_by("-reopened_at", "-id").first()


def case_close(*, case: Case, version: int, acting_user) -> Case:
    """Closing needs the Head Teacher's final decision, recorded or confirmed since the
    case was last reopened and still agreeing with the steps taken, and no step left open.
    Its reports close too, so their reporters see the case has finished."""
    with transaction.atomic():
        case = case_lock(case, version)
        decision = Decision.objects.filter(case=case).first()
        if decision is None:
            raise LadderError(
                "The Head Teacher must record the final decision before the case is closed"
            )
        if case.steps.filter(status__in=OPEN).exists():
            raise LadderError("Complete or withdraw the open steps before closing the case")
        reopening = latest_reopening(case)
        if reopening and decision.recorded_at < reopening.reopened_at:
            raise LadderError(
                f"The case was reopened on {on(timezone.localdate(reopening.reopened_at))}. "
                "The Head Teacher must record the final decision again, or confirm it, "
                "before the case is closed"
            )
        if refusal := decision_refusal(case, decision.outcome):
            raise LadderError(f"The final decision no longer agrees with the steps. {refusal}")
        case.status, case.closed_at = Case.Status.CLOSED, timezone.now()
        case_bump(case, "status", "closed_at")
        for report in Report.objects.filter(case=case).select_for_update():
            report.status = Report.Status.CLOSED
            report.save(update_fields=["status", "updated_at"])
        audit_record(
            action=AuditEvent.Action.CASE_CLOSED,
            obj=case,
            actor=acting_user,
            status=[Case.Status.OPEN, Case.Status.CLOSED],
        )
    return case


# Why an app above this one refuses to reopen a closed case ("" if it does not): the
# retention app refuses a case whose details were purged (brunswick.retention.apps).
REOPEN_REFUSALS: list[Callable[[Case], str]] = []


def case_reopen(*, case: Case, version: int, reason: str, acting_user) -> CaseReopening:
    """The Head Teacher reopens a closed case, with a reason (kept on the reopening, not in
    the audit event). Its reports go back to being looked at. The final decision stays, and
    must be recorded again or confirmed before the case is closed again. A case whose
    details were purged under the retention schedule cannot be reopened."""
    _require_head_teacher(acting_user)
    if not reason.strip():
        raise LadderError("Enter why the case is being reopened", "reason")
    with transaction.atomic():
        case = _lock(case, version)
        if case.status != Case.Status.CLOSED:
            raise LadderError("This case is already open")
        for refusal in REOPEN_REFUSALS:
            if refused := refusal(case):
                raise LadderError(refused)
        reopening = CaseReopening.objects.create(
            case=case, reason=reason.strip(), reopened_by=acting_user, closed_at=case.closed_at
        )
        case.status, case.closed_at = Case.Status.OPEN, None
        case_bump(case, "status", "closed_at")
        closed = Report.objects.filter(case=case, status=Report.Status.CLOSED)
        for report in closed.select_for_update():
            report.status = Report.Status.BEING_LOOKED_AT
            report.save(update_fields=["status", "updated_at"])
        audit_record(
            action=AuditEvent.Action.CASE_REOPENED,
            obj=case,
            actor=acting_user,
            reopening=reopening.id,
            status=[Case.Status.CLOSED, Case.Status.OPEN],
        )
    return reopening
