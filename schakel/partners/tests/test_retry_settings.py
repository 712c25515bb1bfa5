"""The outbox's retry schedule comes from the environment and refuses nonsense at start-up."""

from datetime import timedelta

import pytest

from schakel.core.tests.test_settings import start


@pytest.mark.parametrize("value", ["1,x", "15,5", "0,5", ""])
def test_a_bad_retry_schedule_stops_start_up_naming_the_variable(tmp_path, value):
    result = start(tmp_path, OUTBOX_RETRY_MINUTES=value)
    assert result.returncode != 0
    assert "OUTBOX_RETRY_MINUTES" in result.stderr


def test_the_default_schedule_grows_from_one_minute_to_twelve_hours(settings):
    assert settings.SCHAKEL["OUTBOX_RETRY_MINUTES"] == (1, 5, 15, 60, 240, 720)
    assert settings.SCHAKEL["OUTBOX_RETRY_HOURS"] == 72


def test_a_shorter_schedule_is_followed(received, send_to, flaky_mail, clock, settings):
    from schakel.partners.models import OutboxMessage

    settings.SCHAKEL = {**settings.SCHAKEL, "OUTBOX_RETRY_MINUTES": (2,),
                        "OUTBOX_RETRY_HOURS": 1}
    [nla] = send_to(received, "nla", skip="test")
    message = OutboxMessage.objects.get(referral=nla)
    assert message.next_attempt_at == clock() + timedelta(minutes=2)
