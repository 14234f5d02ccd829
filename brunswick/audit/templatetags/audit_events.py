"""How an event's details read on the Head Teacher's audit pages."""

from django import template

register = template.Library()
# Details that are lists of ids or codes, not [old, new] pairs.
LISTS = {"reports", "kinds", "fields"}


def _value(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_value(item) for item in value) or "none"
    if value in ("", None):
        return "none"
    return str(value)


@register.filter
def audit_details(extra: dict) -> list[tuple[str, str]]:
    """(name, value) for each detail. A change is recorded as {"field": [old, new]} and
    reads "old → new"; everything else as it is. Details hold ids and codes, never content."""
    rows = []
    for name, value in sorted((extra or {}).items()):
        label = name.replace("_", " ")
        if isinstance(value, list) and len(value) == 2 and name not in LISTS:
            rows.append((label, f"{_value(value[0])} → {_value(value[1])}"))
        elif isinstance(value, dict):
            changes = "; ".join(
                f"{k.replace('_', ' ')}: {_details_pair(v)}" for k, v in value.items()
            )
            rows.append((label, changes))
        else:
            rows.append((label, _value(value)))
    return rows


def _details_pair(value) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{_value(value[0])} → {_value(value[1])}"
    return _value(value)
