"""Every free text about a signal, in one registry.

Three parts of Schakel must agree on this list, and read it here:
- an access request searches each text for the data subject's name
  (`privacy.finding`),
- destruction blanks each text of the destroyed signal (`privacy.retention`),
- the raw-database test plants a marker in each and checks that none is readable
  without the keys (`core/tests/test_nothing_readable_without_keys.py`).

The signals app lists its own texts; an app above it that keeps texts about a signal
(partners, plan) registers them from its AppConfig.ready, so this floor names no app
above it. A new free text about a signal belongs here, or it is missed by all three.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SignalText:
    code: str  # stable: stored with access-request items ("event.remark")
    label: str  # where it is, for the officer and the data subject
    model: str  # app_label.Model
    field: str
    # Giving it in an access answer needs a reason: it is someone else's account.
    needs_reason: bool = False

    @property
    def on_signal(self) -> bool:
        return self.model == "signals.Signal"

    def model_class(self):
        return apps.get_model(self.model)

    def of_signal(self, signal):
        """The rows of this text that belong to `signal`."""
        lookup = {"pk": signal.pk} if self.on_signal else {"signal": signal}
        return self.model_class().objects.filter(**lookup)

    def alive(self):
        """Rows of signals not destroyed that hold this text."""
        lookup = ({"destroyed_at__isnull": True} if self.on_signal
                  else {"signal__destroyed_at__isnull": True})
        return self.model_class().objects.filter(**lookup).exclude(**{self.field: ""})

    def signal_id_of(self, obj) -> int:
        return obj.pk if self.on_signal else obj.signal_id


_TEXTS: list[SignalText] = [
    SignalText("signal.background", _("Background of the signal"), "signals.Signal",
               "background"),
    SignalText("signal.observed_where", _("Where it was seen"), "signals.Signal",
               "observed_where"),
    SignalText("signal.dismiss_reason", _("Reason for dismissal"), "signals.Signal",
               "dismiss_reason"),
    SignalText("signal.message_for_reporter", _("Message for the reporter"),
               "signals.Signal", "message_for_reporter"),
    SignalText("signal.outcome_other", _("Outcome"), "signals.Signal", "outcome_other"),
    SignalText("event.remark", _("Note or remark on a step"), "signals.SignalEvent",
               "remark"),
    SignalText("subject.description", _("Description of a person involved"),
               "signals.Subject", "description"),
]


def register(*texts: SignalText) -> None:
    """Add an app's texts about a signal (from its AppConfig.ready); twice is once."""
    known = {t.code for t in _TEXTS}
    _TEXTS.extend(t for t in texts if t.code not in known)


def signal_texts() -> list[SignalText]:
    """Every registered free text about a signal whose app is installed."""
    out = []
    for text in _TEXTS:
        try:
            apps.get_model(text.model)
        except LookupError:
            continue
        out.append(text)
    return out


def by_code() -> dict[str, SignalText]:
    return {t.code: t for t in _TEXTS}
