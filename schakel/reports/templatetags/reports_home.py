from django import template

from schakel.accounts.models import Role

register = template.Library()


@register.simple_tag
def reports_summary(user):
    """The dashboard summary on the policy role's start page (a fixed few queries)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.POLICY:
        return None
    from schakel.reports.dashboard import summary

    return summary(user)
