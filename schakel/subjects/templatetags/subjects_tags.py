from django import template

from schakel.subjects.models import Decision, Link

register = template.Library()


@register.simple_tag
def signal_links(signal):
    """The register records linked to the signal's subjects: one query, whatever the size."""
    return list(Link.objects.filter(subject__signal=signal, decision=Decision.LINKED)
                .select_related("subject", "record__source", "record__subject__signal")
                .order_by("subject_id", "at"))


@register.simple_tag
def candidate_groups(candidates):
    """Split a proposal for the page: candidates of the queried kind with a band, those
    below *mogelijk* (no match), and records of another kind at the queried address."""
    candidates = candidates or []
    return {
        "banded": [c for c in candidates if c.same_kind and c.band is not None],
        "weak": [c for c in candidates if c.same_kind and c.band is None],
        "others": [c for c in candidates if not c.same_kind],
    }
