"""Anchoring the chain head outside the database, once a day.

The head of the day goes to the application log (journald or the log files of
the host, which the database cannot rewrite) and into the officers' daily digest
(through the hook below, which the daily job of `partners` calls). Verified
against the last anchored head, `audit_verify` catches records cut off the end
and a chain recomputed by someone who holds the chain key.
"""

import logging

from django.db import IntegrityError, transaction

from schakel.core import clock

from .models import ChainAnchor, ChainHead

logger = logging.getLogger(__name__)


def anchor_head() -> ChainAnchor:
    """Today's anchor: made (and logged) at the first call of the day, then returned as is."""
    today = clock.now().date()
    existing = ChainAnchor.objects.filter(day=today).first()
    if existing is not None:
        return existing
    head = ChainHead.objects.filter(pk=1).first()
    seq, digest = (head.seq, head.hash) if head is not None else (0, "0" * 64)
    try:
        with transaction.atomic():
            anchor = ChainAnchor.objects.create(day=today, at=clock.now(), seq=seq, hash=digest)
    except IntegrityError:  # a second worker anchored the same day a moment earlier
        return ChainAnchor.objects.get(day=today)
    logger.info("%s", anchor.line())
    return anchor


def digest_text() -> str:
    """The lines for the officers' daily digest (Dutch, like the rest of the e-mail)."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    anchor = anchor_head()
    with translation.override(settings.LANGUAGE_CODE):
        intro = _("Check value of the processing log (keep this e-mail; "
                  "manage.py audit_verify --anchors-from reads it):")
    return f"{intro}\n{anchor.line()}"
