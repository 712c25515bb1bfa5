"""What other apps keep about a signal, removed when the signal's data is destroyed.

Each hook receives the signal inside the destruction's transaction. Rows that
point at the signal and hold free text or shared copies are blanked; rows that
only count (states, dates) stay for the figures. Subjects' register records and
links go with the subjects (on_delete=CASCADE).
"""

from django.apps import apps


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def blank_agenda_texts(signal) -> None:
    """The case meeting's question and decision about this signal (plan app)."""
    agenda = _model("plan.AgendaItem")
    if agenda is not None:
        agenda.objects.filter(signal=signal).update(question="", decision="")


HOOKS = [blank_agenda_texts]
