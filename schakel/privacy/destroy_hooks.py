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


def blank_referrals(signal) -> None:
    """What was written to and by partners (partners app); the referral's dates stay for the
    figures. Feedback links die: a partner opening one afterwards finds nothing."""
    referral = _model("partners.Referral")
    if referral is None:
        return
    referrals = referral.objects.filter(signal=signal)
    referrals.update(message="", reason="", feedback_text="", withdraw_reason="",
                     subject_ids=[], parts=[], attachment_ids=[])
    link = _model("partners.FeedbackLink")
    if link is not None:
        link.objects.filter(referral__signal=signal).delete()
    skip = _model("partners.CareCoordinatorSkip")
    if skip is not None:
        skip.objects.filter(signal=signal).update(reason="")


def remove_attachments(signal) -> None:
    """The signal's photos and documents (signals app): rows now, encrypted files once the
    destruction commits."""
    from schakel.signals.attachments import attachments_destroy

    attachments_destroy(signal)


HOOKS = [blank_agenda_texts, blank_referrals, remove_attachments]
