from django import template

from ..holds import HoldPanel, Subject, hold_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def legal_hold_panel(context, subject: Subject) -> HoldPanel:
    """For templates/retention/includes/legal_hold.html, on the case and person pages."""
    return hold_panel(subject, context["request"].user)
