"""Recording audit events. Call inside the transaction of the change being recorded."""

import contextvars

from django.db import connection, models, transaction
from django.utils import timezone

from brunswick.accounts.models import Role

from .models import GENESIS, AuditEvent

# Set by brunswick.audit.middleware for each request, so events can be tied to it.
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
_CHAIN_LOCK = 7_410_001


def _roles_of(actor) -> str:
    return ",".join(role.value for role in Role if actor.has_role(role))


def audit_record(
    *,
    action: AuditEvent.Action,
    obj: models.Model | None = None,
    actor=None,
    actor_kind: str = "staff",
    **extra,
) -> AuditEvent:
    """Append one event to the chain. `extra` must hold ids and codes only, never content.
    A change of a field is recorded as `field=[old, new]` (the audit pages show it as
    "old → new"); a set of ids or codes under a plural name (`reports`, `kinds`, `fields`).

    Appends are serialised (a transaction-scoped advisory lock on PostgreSQL; SQLite allows
    one writer at a time anyway), so concurrent requests never fork the chain. The lock is
    held until the caller's transaction ends.
    """
    staff = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            at=timezone.now(),
            action=action,
            actor=staff,
            actor_kind=actor_kind,
            actor_role=_roles_of(staff) if staff else "",
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            extra=extra,
            request_id=current_request_id.get(),
            previous_hash=last or GENESIS,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event
