"""E-mails about signals. They carry a reference and a link, never personal data."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from schakel.accounts.models import Role, User
from schakel.core import clock
from schakel.core.background import AfterCommitThread

logger = logging.getLogger(__name__)


# A notice names at most this many signals; the rest are in the work queue.
NOTICE_LISTS = 50


def announce_new_signals(*, limit: int = 500) -> int:
    """Tell the active officers of every submitted signal they have not heard of: one
    e-mail for all of them, with each reference, URGENT first, and a link. Returns how
    many signals it told of.

    The signals are claimed (`announced_at`) in a short transaction of their own, so two
    processes never tell of the same signal; a mail server that refuses leaves them
    unclaimed for the next round (the next filing, or the worker's heartbeat within half
    a minute), where before a failed e-mail was only logged.
    """
    from .models import Signal

    now = clock.now()
    with transaction.atomic():
        rows = list(Signal.objects.filter(announced_at__isnull=True,
                                          submitted_at__isnull=False)
                    .select_for_update(skip_locked=True).order_by("pk")
                    .values_list("pk", "reference", "urgent")[:limit])
        if not rows:
            return 0
        claimed = Signal.objects.filter(pk__in=[pk for pk, _, _ in rows])
        claimed.update(announced_at=now)
    recipients = list(
        User.objects.filter(role=Role.OFFICER, is_active=True).exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        logger.warning("%d signal(s) submitted but no officer has an e-mail address", len(rows))
        return len(rows)
    try:
        send_mail(*_notice(rows), None, recipients)
    except OSError:
        # The signals are safe in the database and in the work queue; told next round.
        logger.exception("could not e-mail the officers about %d new signal(s)", len(rows))
        claimed.filter(announced_at=now).update(announced_at=None)
        return 0
    return len(rows)


def _notice(rows) -> tuple[str, str]:
    """Subject and body about the signals (id, reference, urgent): no personal data."""
    rows = sorted(rows, key=lambda row: (not row[2], row[0]))  # urgent first
    with translation.override(settings.LANGUAGE_CODE):
        if len(rows) == 1:
            pk, reference, urgent = rows[0]
            link = settings.SITE_URL + reverse("signals:detail", args=[pk])
            if urgent:
                subject = _("URGENT: new signal %(ref)s") % {"ref": reference}
            else:
                subject = _("New signal %(ref)s") % {"ref": reference}
            body = _(
                "A new signal has been submitted in Schakel.\n\n%(urgent)sOpen it here "
                "(you will be asked to log in):\n%(link)s\n\nThis message deliberately "
                "contains no personal data."
            ) % {
                "urgent": _("It is marked URGENT: immediate danger, immediate action "
                            "needed.\n\n") if urgent else "",
                "link": link,
            }
            return f"[Schakel] {subject}", body
        urgent = sum(1 for row in rows if row[2])
        if urgent:
            subject = _("URGENT: %(count)d new signals, %(urgent)d of them urgent") % {
                "count": len(rows), "urgent": urgent}
        else:
            subject = _("%(count)d new signals") % {"count": len(rows)}
        mark = " – " + _("URGENT")
        lines = [f"{reference}{mark if is_urgent else ''}: "
                 f"{settings.SITE_URL}{reverse('signals:detail', args=[pk])}"
                 for pk, reference, is_urgent in rows[:NOTICE_LISTS]]
        if len(rows) > NOTICE_LISTS:
            lines.append(_("… and %(count)d more: see the work queue.")
                         % {"count": len(rows) - NOTICE_LISTS})
        body = _(
            "New signals have been submitted in Schakel (you will be asked to log in):"
            "\n\n%(lines)s\n\nThis message deliberately contains no personal data."
        ) % {"lines": "\n".join(lines)}
        return f"[Schakel] {subject}", body


def after_submit() -> None:
    """A signal was submitted and committed: tell the officers, in this process's notice
    thread (the web server: the filing answers without waiting for the e-mail, and the
    filings of the next moments share one) or on the spot."""
    if settings.NOTICES_IN_THREAD:
        NOTICE_THREAD.notify()
    else:
        announce_new_signals()


NOTICE_THREAD = AfterCommitThread("signal-notices", lambda: announce_new_signals(),
                                  lambda: settings.NOTICE_GATHER_MS)


def notify_reporter_of_message(signal_id: int) -> None:
    """Tell the reporter a message waits: the reference and a link, no content, no names.

    The address is the one the reporter gave with the signal, else their account's.
    A reporter who asked not to be mailed about this signal gets nothing.
    """
    from .models import ReporterIdentity, Signal

    signal = Signal.objects.only("reference", "mail_reporter").get(pk=signal_id)
    if not signal.mail_reporter:
        return
    identity = ReporterIdentity.objects.get(signal_id=signal_id)
    account = identity.user
    address = identity.email or (account.email if account and account.is_active else "")
    if not address:
        logger.info("signal %s: the reporter has no e-mail address; the message waits "
                    "under My signals", signal_id)
        return
    link = settings.SITE_URL + reverse("signals:mine")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("There is a message about your signal %(ref)s") % {"ref": signal.reference}
        body = _(
            "The officer for human trafficking has written a message about your signal "
            "%(ref)s.\n\nRead it under 'My signals' (you will be asked to log in):\n"
            "%(link)s\n\nThis e-mail deliberately contains no content and no names."
        ) % {"ref": signal.reference, "link": link}
    try:
        send_mail(f"[Schakel] {subject}", body, None, [address])
    except OSError:
        # The message is safe in the database; My signals shows it regardless.
        logger.exception("could not e-mail the reporter of signal %s", signal_id)
