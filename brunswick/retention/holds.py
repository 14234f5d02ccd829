"""Legal holds: placing and releasing them (the Head Teacher only), what a hold covers, and
what the case and person pages show about it."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from brunswick.audit.events import audit_record
from brunswick.audit.models import AuditEvent
from cases.models import Case, Person

from .models import LegalHold, PurgedRecord, RetentionSchedule
from .periods import purge_date

Subject = Case | Person


class LegalHoldError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def held_case_ids():
    """Ids of cases on hold: held themselves, or linked to a held person."""
    active = LegalHold.objects.active()
    return Case.objects.filter(
        Q(id__in=active.filter(case__isnull=False).values("case_id"))
        | Q(people__in=active.filter(person__isnull=False).values("person_id"))
    ).values("id")


def held_person_ids():
    return LegalHold.objects.active().filter(person__isnull=False).values("person_id")


def _require_head_teacher(user) -> None:
    if not user.is_head_teacher():
        raise PermissionDenied("Only the Head Teacher places or releases a legal hold")


def _lock(subject: Subject) -> Subject:
    # The purge locks the same rows before it checks for holds, so the two never cross:
    # a hold placed first stops the purge; a purge finished first refuses the hold.
    return type(subject).objects.select_for_update().get(id=subject.id)


def _is_purged(subject: Subject) -> bool:
    return PurgedRecord.objects.filter(
        model_label=subject._meta.label_lower, object_id=subject.id
    ).exists()


def active_hold_on(subject: Subject) -> LegalHold | None:
    field = "case" if isinstance(subject, Case) else "person"
    return LegalHold.objects.active().filter(**{field: subject}).first()


def legal_hold_place(*, subject: Subject, reason: str, acting_user) -> LegalHold:
    """Put a case or a person on legal hold: nothing it covers is purged until it is
    released. Committed with its audit event (ids only: the reason stays on the hold)."""
    _require_head_teacher(acting_user)
    with transaction.atomic():
        subject = _lock(subject)
        if _is_purged(subject):
            raise LegalHoldError("Its personal details have already been purged")
        if active_hold_on(subject):
            raise LegalHoldError("It is already on legal hold")
        field = "case" if isinstance(subject, Case) else "person"
        hold = LegalHold.objects.create(
            **{field: subject}, reason=reason.strip(), placed_by=acting_user
        )
        audit_record(
            action=AuditEvent.Action.LEGAL_HOLD_PLACED, obj=subject, actor=acting_user, hold=hold.id
        )
    return hold


def legal_hold_release(*, subject: Subject, reason: str, acting_user) -> LegalHold:
    """Release the subject's hold; the retention schedule applies to it again from the
    next purge. Committed with its audit event."""
    _require_head_teacher(acting_user)
    with transaction.atomic():
        subject = _lock(subject)
        hold = active_hold_on(subject)
        if hold is None:
            raise LegalHoldError("It is not on legal hold")
        hold.released_by, hold.released_at = acting_user, timezone.now()
        hold.release_reason = reason.strip()
        hold.save(update_fields=["released_by", "released_at", "release_reason"])
        audit_record(
            action=AuditEvent.Action.LEGAL_HOLD_RELEASED,
            obj=subject,
            actor=acting_user,
            hold=hold.id,
        )
    return hold


@dataclass(frozen=True)
class HoldPanel:
    """What the case and person pages show about legal hold and retention."""

    hold: LegalHold | None  # On this case or person itself.
    through: list[LegalHold]  # On a linked person (for a case) or a linked case.
    purged_at: datetime | None
    purge_on: date | None  # For a closed case that nothing holds.
    can_manage: bool
    place_url: str
    release_url: str


def hold_panel(subject: Subject, user) -> HoldPanel:
    """A fixed number of queries, whatever the number of linked rows."""
    is_case = isinstance(subject, Case)
    holds = list(
        LegalHold.objects.active()
        .filter(_covering_case(subject) if is_case else _covering_person(subject))
        .select_related("placed_by", "case", "person")
        .order_by("placed_at")
    )
    own = next((h for h in holds if (h.case_id if is_case else h.person_id) == subject.id), None)
    purged = PurgedRecord.objects.filter(
        model_label=subject._meta.label_lower, object_id=subject.id
    ).first()
    prefix = f"retention:{'case' if is_case else 'person'}_hold"
    return HoldPanel(
        hold=own,
        through=[h for h in holds if h is not own],
        purged_at=purged.purged_at if purged else None,
        purge_on=_purge_on(subject) if is_case and not holds and not purged else None,
        can_manage=user.is_head_teacher(),
        place_url=reverse(prefix, args=[subject.id]),
        release_url=reverse(f"{prefix}_release", args=[subject.id]),
    )


def _covering_case(case: Case) -> Q:
    return Q(case=case) | Q(person__cases=case)


def _covering_person(person: Person) -> Q:
    return Q(person=person) | Q(case__people=person)


def _purge_on(case: Case) -> date | None:
    if case.status != Case.Status.CLOSED or case.closed_at is None:
        return None
    months = RetentionSchedule.in_force(timezone.now()).closed_case_months
    return purge_date(timezone.localdate(case.closed_at), months)


def purged_case_refusal(case) -> str:
    """A case whose details were purged under the retention schedule stays closed: there is
    nothing left to work on."""
    if PurgedRecord.objects.filter(model_label="cases.case", object_id=case.id).exists():
        return "This case's details were purged under the retention schedule. It cannot be reopened"
    return ""
