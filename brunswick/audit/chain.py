"""Checking the audit chain: every event's hash matches its content and the event before."""

from dataclasses import dataclass

from .models import GENESIS, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    events: int
    problem: str = ""


def chain_head() -> tuple[int, str] | None:
    """The newest event's id and hash, for an operator to keep somewhere write-once."""
    return AuditEvent.objects.order_by("-id").values_list("id", "hash").first()


def verify_chain(*, head: tuple[int, str] | None = None, batch: int = 5000) -> ChainReport:
    """Walk the chain in id order. With `head` (an exported id and hash), also check that
    the event is still there unchanged, so a truncated tail is found too."""
    previous, count, found_head = GENESIS, 0, head is None
    for event in _in_order(batch):
        if event.previous_hash != previous:
            return ChainReport(
                False, count, f"event {event.id} does not follow the event before it"
            )
        if event.compute_hash() != event.hash:
            return ChainReport(False, count, f"event {event.id} was changed after it was recorded")
        if head and event.id == head[0]:
            if event.hash != head[1]:
                return ChainReport(
                    False, count, f"event {event.id} does not match the exported head"
                )
            found_head = True
        previous, count = event.hash, count + 1
    if not found_head:
        return ChainReport(
            False, count, f"the exported head (event {head[0]}) is missing: the log was cut short"
        )
    return ChainReport(True, count)


def _in_order(batch: int):
    """Events in id order, a batch at a time, so half a million events fit in memory."""
    last_id = 0
    while True:
        events = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not events:
            return
        yield from events
        last_id = events[-1].id
