from django import template

from schakel.core.prepared import Prepared
from schakel.subjects.models import Decision, Link

register = template.Library()


def _links(*related) -> Prepared:
    # Through the subjects' signal index; built once (`Prepared`).
    return Prepared(lambda signal_id: Link.objects.filter(
        subject__signal_id=signal_id, decision=Decision.LINKED)
        .select_related(*related, "record__source").order_by("subject_id", "at"))


# The subject row along only when the page has not read it.
_LINKS, _LINKS_OF_READ = _links("subject"), _links()


@register.simple_tag
def signal_links(signal, subjects=None):
    """The register records linked to the signal's subjects: one query, whatever the size,
    and one more only when a record is someone in another signal (its reference).

    Not one join over six tables: PostgreSQL spent more on planning it than on running
    it, and the other signal's row came whole, its encrypted texts decrypted for nothing.
    """
    from schakel.signals.models import Subject

    if subjects is None:
        links = _LINKS(signal.pk)
    else:  # the page read the subjects already: not read again
        by_id = {subject.pk: subject for subject in subjects}
        links = _LINKS_OF_READ(signal.pk)
        for link in links:
            link.subject = by_id[link.subject_id]
    from_signals = {link.record.subject_id for link in links if link.record.subject_id}
    if from_signals:
        found = {pk: (signal_id, reference) for pk, signal_id, reference in
                 Subject.objects.filter(pk__in=from_signals).values_list(
                     "pk", "signal_id", "signal__reference")}
        for link in links:
            link.record.from_signal = found.get(link.record.subject_id)
    return links


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
