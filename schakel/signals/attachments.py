"""Attachments of a signal: photos, scanned letters, screenshots (issue 14).

Who may see which attachment, and who may add one:

- the officer (Access.FULL): every attachment of a signal; adds until it is closed;
- whoever filed or reported it (Access.OWN): only the files they added themselves,
  and adds them at intake and afterwards until an officer has received the signal;
- nobody else, not the team lead (who sees what was sent, not the files), not the
  policy adviser, not the administrator.

Every file is checked by its structure (`schakel.core.uploads.check_upload`),
encrypted at rest with the same keys as the signal's texts, stored under a random
name, and every read and write is in the processing log. Destruction of the signal
removes rows and files (`attachments_destroy`, called by the privacy app).
"""

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.core.crypto import account_key, account_keys, fernet

from .access import Access
from .models import Signal, SignalAttachment
from .workflow import State

logger = logging.getLogger(__name__)

MAX_PER_SIGNAL = 10
# Until an officer has received it, the one who filed may still add what they forgot.
FILER_STATES = (State.DRAFT, State.SUBMITTED)
OFFICER_CLOSED = (State.DRAFT, State.CLOSED)


class AttachmentRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def visible_attachments(user, signal: Signal, level: Access | None):
    """The attachments of this signal the user may see (a QuerySet)."""
    qs = SignalAttachment.objects.filter(signal=signal)
    if level == Access.FULL:
        return qs
    if level == Access.OWN:
        return qs.filter(added_by_key__in=account_keys(user.pk))
    return qs.none()


def may_add(user, signal: Signal, level: Access | None) -> bool:
    if signal.destroyed_at is not None:
        return False
    if level == Access.FULL:
        return signal.state not in OFFICER_CLOSED
    if level == Access.OWN:
        return signal.state in FILER_STATES and (
            signal.reporter.is_filed_by(user) or signal.reporter.is_reporter(user))
    return False


THUMBNAIL_SIZE = (240, 240)


def _thumbnail(upload) -> bytes | None:
    """A small PNG of an image, drawn anew: no metadata (GPS, camera) survives."""
    from PIL import Image, ImageOps

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            if image.mode not in ("RGB", "RGBA", "L"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, "PNG")
            return out.getvalue()
    except (OSError, ValueError, SyntaxError):
        return None
    finally:
        upload.seek(0)


def _store(*, signal, actor, upload, content_type) -> SignalAttachment:
    thumb = _thumbnail(upload) if content_type.startswith("image/") else None
    upload.seek(0)
    sealed = fernet().encrypt(upload.read())
    attachment = SignalAttachment(
        signal=signal, name=(upload.name or "bijlage")[:200], content_type=content_type,
        size=upload.size, added_by_key=account_key(actor.pk), added_by_ref=str(actor.pk),
        added_by_role=actor.role, added_at=clock.now())
    attachment.file.save("upload", ContentFile(sealed), save=False)
    if thumb is not None:
        attachment.thumbnail.save("thumb", ContentFile(fernet().encrypt(thumb)), save=False)
    try:
        attachment.save()
    except Exception:
        for stored in (attachment.file, attachment.thumbnail):
            if stored:
                stored.storage.delete(stored.name)
        raise
    return attachment


@transaction.atomic
def attachments_add(*, signal: Signal, actor, files: list[tuple], level: Access | None):
    """Add checked files (`(upload, content_type)` pairs) to a signal, with one log row.

    1. Check the user may still add files here and the count stays within the limit.
    2. Encrypt each file into storage and create its row.
    3. Log the write in the same transaction, with the signal's data subjects.
    """
    if not files:
        return []
    if not may_add(actor, signal, level):
        raise AttachmentRefused(_("You cannot add files to this signal (any more)."))
    present = SignalAttachment.objects.filter(signal=signal).count()
    if present + len(files) > MAX_PER_SIGNAL:
        raise AttachmentRefused(
            _("A signal holds at most %(max)d files; %(n)d are attached already.")
            % {"max": MAX_PER_SIGNAL, "n": present})
    added = [_store(signal=signal, actor=actor, upload=upload, content_type=content_type)
             for upload, content_type in files]
    activity = Activity.ENRICH if level == Access.FULL else Activity.REGISTER
    log_processing(actor=actor, activity=activity, action=Action.CREATE, obj=signal,
                   changes={"attachments": [a.pk for a in added]})
    return added


@transaction.atomic
def attachment_read(*, attachment: SignalAttachment, actor, activity=Activity.VIEW,
                    purpose: str = "", subjects: list[str] | None = None,
                    thumbnail: bool = False) -> bytes:
    """The plain contents (or the thumbnail), for a download; the read is logged
    (a partner: actor None)."""
    stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise FileNotFoundError
    with stored.open("rb") as handle:
        contents = fernet().decrypt(handle.read())
    changes = {"attachment": attachment.pk, **({"thumbnail": True} if thumbnail else {})}
    log_processing(actor=actor, activity=activity, action=Action.READ,
                   obj=attachment.signal, changes=changes, purpose=purpose, subjects=subjects)
    return contents


def may_remove(user, attachment: SignalAttachment, level: Access | None) -> bool:
    """Who added a file may take it back until an officer has received the signal; once
    received, a file is part of the case and stays (the officer adds, never removes)."""
    if level != Access.OWN:
        return False
    signal = attachment.signal
    return (signal.state in FILER_STATES and signal.destroyed_at is None
            and attachment.is_added_by(user))


@transaction.atomic
def attachment_remove(*, attachment: SignalAttachment, actor, level: Access | None) -> None:
    """Take back a file added by mistake: the row now, the file after commit; logged."""
    if not may_remove(actor, attachment, level):
        raise AttachmentRefused(_("This file can no longer be removed."))
    signal = attachment.signal
    names = [f.name for f in (attachment.file, attachment.thumbnail) if f]
    storage = attachment.file.storage
    log_processing(actor=actor, activity=Activity.REGISTER, action=Action.DELETE, obj=signal,
                   changes={"attachment": attachment.pk})
    attachment.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def attachments_destroy(signal) -> None:
    """Remove every attachment of the signal: rows now, files once the transaction commits.

    Called by the privacy app's destruction (and by throwing a draft away). The row
    goes at once so nothing reads it; the file goes after commit so a destruction
    that rolls back keeps what it would have removed.
    """
    rows = [name for pair in SignalAttachment.objects.filter(signal=signal)
            .values_list("file", "thumbnail") for name in pair if name]
    SignalAttachment.objects.filter(signal=signal).delete()
    if not rows:
        return
    storage = SignalAttachment._meta.get_field("file").storage

    def remove_files():
        for name in rows:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not remove an attachment file of signal %s",
                                 signal.pk)

    transaction.on_commit(remove_files)
