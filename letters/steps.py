"""The step of the ladder each kind of letter carries out, and the state that step must be
in: one map (LETTER_STEPS), checked when a letter is drafted, sent for approval, approved
and corrected (the step may have been withdrawn in between), and read by the case page to
offer only the letters the case's steps allow.

A letter carries out a step; it never moves one. The ladder (cases.ladder) approves,
completes and withdraws steps, and a letter follows: a ban letter needs a ban the Head
Teacher approved, and states that ban's dates, never others.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from cases.ladder import IN_EFFECT, OPEN
from cases.models import LadderStep, Person

from .models import Letter, LetterKind

Kind = LadderStep.Kind
Status = LadderStep.Status
# What a site ban letter states about the ban: the step's own dates, not typed on the draft.
BAN_FACTS = ("ban_starts_on", "ban_ends_on", "review_on", "representations_deadline")


@dataclass(frozen=True)
class StepNeeded:
    """The step a kind of letter carries out: its kind and, for a site ban, its type and
    whether it is urgent; the states in which the letter may be drafted, sent for approval
    and corrected (`statuses`), and approved (`to_approve`); the facts the letter takes
    from the step alone; and what staff are told when there is no such step."""

    kind: str
    statuses: tuple[str, ...]
    refusal: str
    to_approve: tuple[str, ...] = ()
    ban_type: str = ""
    urgent: bool | None = None
    facts: tuple[str, ...] = ()
    approve_first: str = ""

    def allows(self, step: LadderStep, *, approving: bool = False) -> bool:
        """Whether this step (about the right parent) is one the letter may carry out now."""
        statuses = (self.to_approve or self.statuses) if approving else self.statuses
        return (
            step.kind == self.kind
            and step.status in statuses
            and (not self.ban_type or step.ban_type == self.ban_type)
            and (self.urgent is None or step.urgent == self.urgent)
        )


LETTER_STEPS: dict[str, StepNeeded] = {
    # While the Head Teacher must approve warning letters, the step waits for them too: the
    # letter may be drafted and sent meanwhile, so they see both, and is approved once the
    # step is (a letter never approves its step).
    LetterKind.WARNING_LETTER: StepNeeded(
        Kind.WARNING_LETTER,
        (Status.AWAITING_APPROVAL, Status.IN_PROGRESS),
        "A warning letter needs a warning letter step for this parent, in progress or "
        "waiting for the Head Teacher's approval. Add the warning letter step first, or "
        "choose another letter.",
        to_approve=(Status.IN_PROGRESS,),
        approve_first="The warning letter step for this parent is waiting for the Head "
        "Teacher's approval. Approve the step on the case first, then this letter.",
    ),
    LetterKind.MEETING_INVITATION: StepNeeded(
        Kind.MEETING,
        tuple(OPEN),
        "An invitation to a meeting needs an open meeting step for this parent. Add the "
        "meeting step first, or choose another letter.",
    ),
    LetterKind.REPRESENTATIONS_INVITATION: StepNeeded(
        Kind.SITE_BAN,
        (Status.AWAITING_APPROVAL,),
        "An invitation to make representations needs a proposed site ban for this parent "
        "that is waiting for the Head Teacher's approval and is not urgent. Propose the ban "
        "first, or choose another letter.",
        urgent=False,
        facts=BAN_FACTS,
    ),
    LetterKind.SITE_BAN_TEMPORARY: StepNeeded(
        Kind.SITE_BAN,
        IN_EFFECT,
        "A temporary site ban letter needs a temporary site ban approved by the Head "
        "Teacher for this parent. Propose the ban first, or choose another letter.",
        ban_type=LadderStep.BanType.TEMPORARY,
        facts=BAN_FACTS,
    ),
    LetterKind.SITE_BAN_FULL: StepNeeded(
        Kind.SITE_BAN,
        IN_EFFECT,
        "A site ban letter needs a full site ban approved by the Head Teacher for this "
        "parent. Propose the ban first, or choose another letter.",
        ban_type=LadderStep.BanType.FULL,
        facts=BAN_FACTS,
    ),
    LetterKind.BAN_REVIEW_OUTCOME: StepNeeded(
        Kind.SITE_BAN,
        IN_EFFECT,
        "A letter with the outcome of a ban review needs a site ban approved by the Head "
        "Teacher for this parent. Propose the ban first, or choose another letter.",
        facts=BAN_FACTS,
    ),
}
# The step on the ladder each kind of letter carries out.
STEP_KIND: dict[str, str] = {kind: needed.kind for kind, needed in LETTER_STEPS.items()}
DATES_DIFFER = (
    "The ban dates on this letter are not the dates of the site ban on the case. Change "
    "the draft and save it: it then states the ban's own dates."
)


def is_for(step: LadderStep, person: Person | None, people: Iterable[int]) -> bool:
    """Whether a step is about this parent: it names them, or it names no one and they are
    the only parent on the case (`people`: the ids of the case's people)."""
    if person is None:
        return False
    if step.person_id is not None:
        return step.person_id == person.id
    return list(people) == [person.id]


def usable_steps(kind: str, steps: Iterable[LadderStep], person, people: Iterable[int]):
    """The steps, of those given, that a letter of this kind to this parent may carry out,
    newest first. From prefetched rows: no query of its own."""
    needed = LETTER_STEPS[kind]
    people = list(people)
    usable = [s for s in steps if needed.allows(s) and is_for(s, person, people)]
    return sorted(usable, key=lambda step: (step.proposed_at, step.id), reverse=True)


def step_for_letter(case, kind: str, person) -> LadderStep | None:
    """The step a new letter of this kind to this parent carries out: the newest the map
    allows; None if there is none, or the kind carries out no step."""
    if kind not in LETTER_STEPS:
        return None
    steps = case.steps.filter(kind=LETTER_STEPS[kind].kind)
    people = case.people.values_list("id", flat=True)
    return next(iter(usable_steps(kind, steps, person, people)), None)


def step_refusal(kind: str, step: LadderStep | None, person, people: Iterable[int]) -> str | None:
    """Why a letter of this kind cannot carry out this step (None: no step) for this
    parent now; None if it can, or the kind needs no step."""
    needed = LETTER_STEPS.get(kind)
    if needed is None:
        return None
    if step is None or not (needed.allows(step) and is_for(step, person, people)):
        return needed.refusal
    return None


def letter_step_refusal(letter: Letter, stated: Iterable[str], *, approving: bool = False):
    """Why this letter cannot be sent for approval (or, `approving`, approved) as it stands:
    its step is missing, withdrawn or refused, about someone else, not yet approved by the
    Head Teacher, or the dates it states are not the step's. None if nothing stops it.
    `stated`: the facts its wording states."""
    needed = LETTER_STEPS.get(letter.kind)
    if needed is None:
        return None
    step, people = letter.step, letter.case.people.values_list("id", flat=True)
    if refusal := step_refusal(letter.kind, step, letter.person, people):
        return refusal
    if approving and not needed.allows(step, approving=True):
        return needed.approve_first or needed.refusal
    stated = set(stated)
    if any(getattr(letter, name) != getattr(step, name) for name in needed.facts if name in stated):
        return DATES_DIFFER
    return None


def step_facts(kind: str, step: LadderStep | None) -> dict[str, object]:
    """The facts a letter of this kind takes from its step alone (a ban's dates)."""
    needed = LETTER_STEPS.get(kind)
    if needed is None or step is None:
        return {}
    return {name: getattr(step, name) for name in needed.facts}


def editable_facts(kind: str, stated: Iterable[str]) -> list[str]:
    """The facts staff check and correct on the draft: those the wording states, but not
    those the letter takes from its step."""
    needed = LETTER_STEPS.get(kind)
    owned = needed.facts if needed else ()
    return [name for name in stated if name not in owned]
