"""Reads the office's pages share. The office prints and posts letters; it never reads
cases or reports, so these load only what an envelope and a print run need."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from brunswick.accounts.models import Role

from .models import Letter, LetterKind, LetterQuerySet

Status = Letter.Status
OFFICE_ROLES = (Role.OFFICE, Role.SLT, Role.HEAD_TEACHER)
PAST_APPROVAL = (
    Status.RENDERING,
    Status.RENDER_FAILED,
    Status.READY,
    Status.PRINTED,
    Status.POSTED,
    Status.EMAILED,
    Status.SUPERSEDED,
)
# Never the summary, the case or the report: the queue must not become a way to read them.
OFFICE_FIELDS = (
    "id", "kind", "status", "delivery", "version", "addressee_name", "addressee_address",
    "addressee_email", "approved_at", "pdf", "printed_at", "posted_on", "emailed_at",
)  # fmt: skip
RECENT_DAYS = 30


def letters_for_office(user) -> LetterQuerySet:
    """Approved letters this user may print, post or e-mail. The office does not see notes
    to people who reported (who reported is for SLT and the Head Teacher only), nor
    superseded versions, which must not be posted by mistake."""
    if not any(user.has_role(role) for role in OFFICE_ROLES):
        return Letter.objects.none()
    letters = Letter.objects.filter(status__in=PAST_APPROVAL).only(*OFFICE_FIELDS)
    if not user.can_read_reports():
        letters = letters.exclude(kind=LetterKind.REPORTER_NOTE).exclude(status=Status.SUPERSEDED)
    return letters


def get_letter_for_office(user, letter_id: int) -> Letter:
    """An approved letter this user may handle; otherwise 404, so a draft (or a letter not
    for this role) is not even known to exist."""
    letter = letters_for_office(user).filter(id=letter_id).first()
    if letter is None:
        raise Http404
    return letter


def letters_to_print(user, letter_ids: Iterable[int]) -> list[Letter]:
    """The chosen letters that are still in the print queue, in queue order; any other id
    (posted meanwhile, a draft, a forged id) is left out."""
    return list(_print_queue(user).filter(id__in=list(letter_ids)))


def _print_queue(user) -> LetterQuerySet:
    # Oldest approved first: the letter waiting longest goes out first.
    return letters_for_office(user).print_queue().order_by("approved_at", "id")


@dataclass(frozen=True)
class OfficeQueue:
    to_print: list[Letter]
    to_email: list[Letter]
    failed: list[Letter]
    being_made: int
    recently_sent: list[Letter]


def office_queue(user, today: date | None = None) -> OfficeQueue:
    """Everything on the office's page, in a fixed number of queries however many letters."""
    today = today or timezone.localdate()
    letters = letters_for_office(user)
    since = today - timedelta(days=RECENT_DAYS)
    recently_sent = letters.filter(
        Q(status=Status.POSTED, posted_on__gte=since)
        | Q(status=Status.EMAILED, emailed_at__date__gte=since)
    )
    return OfficeQueue(
        to_print=list(_print_queue(user)),
        to_email=list(
            letters.filter(status=Status.READY, delivery=Letter.Delivery.EMAIL).order_by(
                "approved_at", "id"
            )
        ),
        failed=list(letters.filter(status=Status.RENDER_FAILED).order_by("approved_at", "id")),
        being_made=letters.filter(status=Status.RENDERING).count(),
        recently_sent=sorted(recently_sent, key=_sent_on, reverse=True),
    )


def _sent_on(letter: Letter) -> date:
    return letter.posted_on or timezone.localdate(letter.emailed_at)


def get_letter_for_staff(user, letter_id: int) -> Letter:
    """A letter with its case, for those who may read cases; otherwise 404."""
    if not user.can_read_reports():
        raise Http404
    letter = (
        Letter.objects.select_related("case", "person", "report", "template_version")
        .filter(id=letter_id)
        .first()
    )
    if letter is None:
        raise Http404
    return letter
