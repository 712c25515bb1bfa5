"""Referral figures read from the partners app, kept here so that app stays its owner's.

Until the partners app has its models, `referrals_per_partner` answers None.
"""

from django.apps import apps


def referrals_per_partner(year: int, bounds) -> list[tuple[str, int, int]] | None:
    try:
        apps.get_model("partners.Referral")
    except LookupError:
        return None
    return None


def overdue_feedback(limit: int = 10) -> dict | None:
    """Referrals whose feedback is overdue; None without the partners app."""
    try:
        apps.get_model("partners.Referral")
    except LookupError:
        return None
    return None
