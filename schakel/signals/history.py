"""History lines that Schakel writes itself, stored as a code and parameters.

A line such as "Doorgezet naar Politie AVIM." is not stored as a sentence: the sentence
would stay in the language of whoever happened to write it. The event stores a code and
its parameters (partner names, a date: never personal data); the sentence is made when
the history is read, in the reader's language. What a person typed (a remark, a decision)
stays in `SignalEvent.remark`, encrypted, and is shown after the line.

Migration 0014 turned the lines written before into codes.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

REFERRED = "referred"  # params: {"partners": ["Politie AVIM", ...]}
REFERRALS_SETTLED = "referrals_settled"  # params: {}
# params: {"date": "2026-05-12"}; the remark holds the decision
CASE_MEETING_DECISION = "case_meeting_decision"


def _day(value: str) -> str:
    try:
        return date_format(date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return str(value)


def line(code: str, params: dict) -> str:
    """The sentence of a code in the active language; "" for an event without a code."""
    params = params or {}
    if code == REFERRED:
        return _("Referred to %(partner)s.") % {"partner": ", ".join(params.get("partners", []))}
    if code == REFERRALS_SETTLED:
        return _("All referrals are settled.")
    if code == CASE_MEETING_DECISION:
        return _("Local case meeting of %(date)s") % {"date": _day(params.get("date", ""))}
    return ""


def text(code: str, params: dict, remark: str) -> str:
    """The whole history text: the line, then what was typed (a decision after a colon)."""
    sentence = line(code, params)
    if not sentence:
        return remark
    if not remark:
        return sentence
    if code == CASE_MEETING_DECISION:
        return f"{sentence}: {remark}"
    return f"{sentence}\n{remark}"
