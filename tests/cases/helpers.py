"""For the ladder's tests: dates as the forms post them, a case opened some days ago, the
steps a decision rests on, and what "nothing changed" means for a refused action."""

import html
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from brunswick.audit.models import AuditEvent
from cases.models import Case, Decision, LadderStep
from tests.factories import CaseFactory, LadderStepFactory

Kind, Status = LadderStep.Kind, LadderStep.Status
TODAY = timezone.localdate()


def on(day: date) -> str:
    """A date as the portal writes it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def page(response) -> str:
    """The page's text, with its HTML escapes undone, so messages read as written."""
    return html.unescape(response.content.decode())


def case_opened(days_ago: int, **fields) -> Case:
    case = CaseFactory(**fields)
    Case.objects.filter(id=case.id).update(opened_at=timezone.now() - timedelta(days=days_ago))
    case.refresh_from_db()
    return case


def version(case: Case) -> int:
    return Case.objects.get(id=case.id).version


def propose(client, case: Case, kind: str, **fields):
    data = {"version": version(case), "kind": kind, **fields}
    return client.post(f"/staff/cases/{case.id}/steps/new/?kind={kind}", data)


def decide(client, case: Case, **fields):
    data = {
        "version": version(case),
        "outcome": "advice_given",
        "reasons": "Advice is proportionate.",
        **date_fields("decided_on", TODAY),
        **fields,
    }
    return client.post(f"/staff/cases/{case.id}/decision/", data)


def ban_fields(**overrides) -> dict:
    """A full ban, proposed through the page: representations invited today, a deadline in
    ten days, and a start after it."""
    fields = {
        "rationale": "Threats to staff at the gate.",
        "skip_reason": "Threats of violence.",
        "ban_type": "full",
        **date_fields("ban_starts_on", TODAY + timedelta(days=14)),
        **date_fields("review_on", TODAY + timedelta(days=100)),
        **date_fields("representations_invited_on", TODAY),
        **date_fields("representations_deadline", TODAY + timedelta(days=10)),
    }
    return {**fields, **overrides}


def approved_ban(case: Case, head_teacher, **fields) -> LadderStep:
    """A site ban the Head Teacher approved after the parent's representations."""
    return LadderStepFactory(
        case=case,
        kind=Kind.SITE_BAN,
        status=Status.IN_PROGRESS,
        ban_type="full",
        ban_starts_on=TODAY + timedelta(days=14),
        ban_ends_on=TODAY + timedelta(days=60),
        review_on=TODAY + timedelta(days=40),
        representations_invited_on=TODAY,
        representations_deadline=TODAY + timedelta(days=10),
        representations="She apologised.",
        representations_received=True,
        representations_recorded_at=timezone.now(),
        decided_by=head_teacher,
        decided_at=timezone.now(),
        **fields,
    )


def ban_awaiting_approval(case: Case, **fields) -> LadderStep:
    """A ban waiting for approval, its deadline for representations `deadline`."""
    deadline = fields.pop("deadline", TODAY + timedelta(days=10))
    made = {
        "kind": Kind.SITE_BAN,
        "status": Status.AWAITING_APPROVAL,
        "ban_type": "full",
        "ban_starts_on": deadline + timedelta(days=1),
        "review_on": deadline + timedelta(days=60),
        "representations_invited_on": deadline - timedelta(days=7),
        "representations_deadline": deadline,
    }
    return LadderStepFactory(case=case, **{**made, **fields})


@dataclass(frozen=True)
class Snapshot:
    """What a refused action must leave as it was."""

    version: int
    steps: int
    decisions: int
    events: int

    @classmethod
    def of(cls, case: Case) -> "Snapshot":
        return cls(
            version=version(case),
            steps=LadderStep.objects.filter(case=case).count(),
            decisions=Decision.history.filter(case_id=case.id).count(),
            # Opening a page records that it was looked at; that is not a change.
            events=AuditEvent.objects.filter(
                Q(object_type="cases.case", object_id=str(case.id)) | Q(extra__case=case.id)
            )
            .exclude(action=AuditEvent.Action.CASE_VIEWED)
            .count(),
        )
