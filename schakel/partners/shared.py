"""What a partner sees of a signal: exactly the parts chosen for their referral."""

from .models import Part, Referral


def shared_view(referral: Referral) -> dict:
    """Only the chosen parts are read; the reporter is never read at all."""
    signal = referral.signal
    view: dict = {"reference": signal.reference, "parts": referral.parts}
    if Part.URGENCY in referral.parts:
        view["urgent"] = signal.urgent
    if Part.FORMS in referral.parts:
        view["forms"] = [str(f) for f in signal.forms.all()]
    if Part.WHERE_WHEN in referral.parts:
        view["where"] = signal.observed_where
        view["when"] = signal.observed_on
    if Part.BACKGROUND in referral.parts:
        view["background"] = signal.background
    if Part.INDICATORS in referral.parts:
        view["indicators"] = [str(i) for i in signal.indicators.all()]
    if referral.subject_ids:
        view["subjects"] = list(signal.subjects.filter(pk__in=referral.subject_ids))
    if referral.attachment_ids:
        view["attachments"] = list(signal.attachments.filter(pk__in=referral.attachment_ids))
    return view
