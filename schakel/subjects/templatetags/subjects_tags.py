from django import template

from schakel.subjects.models import Decision, Link

register = template.Library()


@register.simple_tag
def signal_links(signal):
    """The register records linked to the signal's subjects: one query, whatever the size."""
    return list(Link.objects.filter(subject__signal=signal, decision=Decision.LINKED)
                .select_related("subject", "record__source", "record__subject__signal")
                .order_by("subject_id", "at"))
