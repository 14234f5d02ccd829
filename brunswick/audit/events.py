"""Recording audit events. Call inside the transaction of the change being recorded."""

from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    action: AuditEvent.Action,
    obj: models.Model | None = None,
    actor=None,
    actor_kind: str = "staff",
    **extra,
) -> AuditEvent:
    """Append one event. `extra` must hold ids and codes only, never content."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_kind=actor_kind,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        extra=extra,
    )
