"""`get_FOO_display` from a table made once: same labels, in the reader's language."""

from django.utils import translation

from schakel.audit.models import Activity, ProcessingRecord
from schakel.signals.models import Signal
from schakel.signals.workflow import State


def test_a_label_is_the_choices_label_in_the_readers_language():
    signal = Signal(state=State.RECEIVED)
    with translation.override("nl"):
        dutch = signal.get_state_display()
    with translation.override("en"):
        english = signal.get_state_display()
    with translation.override("nl"):
        assert dutch == str(State.RECEIVED.label)
    assert english == "Received" != dutch


def test_a_value_without_a_choice_shows_itself_as_djangos_own_does():
    assert Signal(state="unknown-state").get_state_display() == "unknown-state"


def test_every_choice_of_a_long_list_gets_its_own_label():
    for value, label in Activity.choices:
        assert ProcessingRecord(activity=value).get_activity_display() == str(label)
