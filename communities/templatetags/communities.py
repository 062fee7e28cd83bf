from django import template

from communities.models import Membership

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """The translated name of a membership role stored as its value (e.g. from an annotation)."""
    try:
        return Membership.Role(value).label
    except ValueError:
        return ""
