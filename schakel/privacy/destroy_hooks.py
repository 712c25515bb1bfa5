"""What other apps keep about a signal, removed when the signal's data is destroyed.

Each hook receives the signal inside the destruction's transaction. The free
texts are blanked by `retention.signal_destroy` from the registry `signals.texts`;
the hooks remove shared copies and files. Rows that only count (states, dates) stay
for the figures. Subjects' register records and
links go with the subjects (on_delete=CASCADE).
"""

from django.apps import apps


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def blank_referrals(signal) -> None:
    """What was shared with partners (partners app); their texts are blanked with every
    other free text (`signals.texts`), the referral's dates stay for the figures.
    Feedback links die: a partner opening one afterwards finds nothing."""
    referral = _model("partners.Referral")
    if referral is None:
        return
    referral.objects.filter(signal=signal).update(subject_ids=[], parts=[], attachment_ids=[])
    link = _model("partners.FeedbackLink")
    if link is not None:
        link.objects.filter(referral__signal=signal).delete()


def remove_attachments(signal) -> None:
    """The signal's photos and documents (signals app): rows now, encrypted files once the
    destruction commits."""
    from schakel.signals.attachments import attachments_destroy

    attachments_destroy(signal)


HOOKS = [blank_referrals, remove_attachments]
