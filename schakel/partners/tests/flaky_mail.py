"""A test mail backend that refuses while `FlakyBackend.down` is set, then works (locmem)."""

import smtplib
import threading

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    down = True
    # When set, a send waits here (a slow mail server) so a second sender can race it.
    gate: threading.Event | None = None

    def send_messages(self, messages):
        if self.gate is not None:
            self.gate.wait(timeout=10)
        if FlakyBackend.down:
            raise smtplib.SMTPServerDisconnected("mail.gemeente.invalid said goodbye")
        return super().send_messages(messages)
