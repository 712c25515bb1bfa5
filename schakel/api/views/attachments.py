"""A signal's attachments: list, download, add (and take back), as on the signal page.

Who sees and adds what is `signals/attachments.py`'s: the officer every file of a
signal (adds until it is closed); whoever filed or reported it only the files they
added (adds until an officer has received it); nobody else, not the team lead. Each
file is checked by its structure with the page's own form, encrypted at rest, and
every download is a row in the processing log (`attachment_read`).
"""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core.responses import file_download
from schakel.signals.access import Access, get_signal_for
from schakel.signals.attachments import (
    AttachmentRefused,
    attachment_read,
    attachment_remove,
    attachments_add,
    may_add,
    may_remove,
    visible_attachments,
)
from schakel.signals.forms import AttachmentForm

from ..problems import Problem
from .base import ApiView

SEES_FILES = (Access.FULL, Access.OWN)


class AttachmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    added_at = serializers.DateTimeField()
    added_by_role = serializers.CharField()
    removable = serializers.BooleanField(help_text="You may still take it back.")


class AttachmentList(serializers.Serializer):
    results = AttachmentOut(many=True)
    may_add = serializers.BooleanField(help_text="You may add files now.")

UploadIn = inline_serializer("AttachmentUpload", {
    "files": serializers.ListField(child=serializers.FileField(), max_length=10,
                                   help_text="PDF, image or Office document, at most 10 MB "
                                             "each and 10 per signal."),
})


def _signal_with_files(user, pk):
    """The signal and the user's level; 404 for whoever sees no files of it (the team
    lead, too: the page shows them what was sent, never the files)."""
    signal, level = get_signal_for(user, pk)
    if level not in SEES_FILES:
        raise Http404
    return signal, level


def _row(user, attachment, level) -> dict:
    return {"id": attachment.pk, "name": attachment.name,
            "content_type": attachment.content_type, "size": attachment.size,
            "added_at": attachment.added_at, "added_by_role": attachment.added_by_role,
            "removable": may_remove(user, attachment, level)}


class SignalAttachments(ApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses=AttachmentList, operation_id="signals_attachments",
                   description="The files of a signal you may see: an officer all of them, "
                               "whoever filed it those they added.")
    def get(self, request, pk: int):
        user = request.user
        signal, level = _signal_with_files(user, pk)
        attachments = list(visible_attachments(user, signal, level).select_related("signal"))
        with transaction.atomic():
            log_processing(actor=user, activity=Activity.VIEW, action=Action.READ, obj=signal,
                           changes={"attachments": [a.pk for a in attachments]})
        return Response(AttachmentList({
            "results": [_row(user, a, level) for a in attachments],
            "may_add": may_add(user, signal, level)}).data)

    @extend_schema(request={"multipart/form-data": UploadIn}, responses={201: AttachmentList},
                   operation_id="signals_attachments_add",
                   description="Add files (multipart/form-data, field `files`), each checked "
                               "by its structure as on the page. 409 when this signal takes "
                               "no more files from you.")
    def post(self, request, pk: int):
        user = request.user
        signal, level = _signal_with_files(user, pk)
        form = AttachmentForm(request.data, request.FILES, required=True)
        if not form.is_valid():
            raise Problem(status_code=400, type_="ongeldige-invoer",
                          title=_("The request is not valid"),
                          detail=_("One or more fields are not valid."),
                          errors=[{"field": "files", "detail": m}
                                  for m in form.errors.get("files", [])])
        try:
            added = attachments_add(signal=signal, actor=user, files=form.checked, level=level)
        except AttachmentRefused as exc:
            raise Problem(status_code=409, type_="bijlage-geweigerd", title=_("Conflict"),
                          detail=exc.message) from None
        return Response(AttachmentList({
            "results": [_row(user, a, level) for a in added],
            "may_add": may_add(user, signal, level)}).data, status=201)


class SignalAttachment(ApiView):
    def perform_content_negotiation(self, request, force=False):
        # A download is the file itself: any Accept header will do (errors stay JSON).
        return super().perform_content_negotiation(request, force=True)

    def attachment(self, request, pk, attachment_pk):
        signal, level = _signal_with_files(request.user, pk)
        attachment = (visible_attachments(request.user, signal, level)
                      .select_related("signal").filter(pk=attachment_pk).first())
        if attachment is None:
            raise Http404
        return attachment, level

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(
                       OpenApiTypes.BINARY, description="The file, with its own content type.")},
                   operation_id="signals_attachment_download",
                   description="Download one file; the download is in the processing log.")
    def get(self, request, pk: int, attachment_pk: int):
        attachment, _level = self.attachment(request, pk, attachment_pk)
        try:
            contents = attachment_read(attachment=attachment, actor=request.user)
        except FileNotFoundError:
            raise Http404 from None
        return file_download(contents, content_type=attachment.content_type,
                             name=attachment.name)

    @extend_schema(responses={204: None}, operation_id="signals_attachment_remove",
                   description="Take back a file you added by mistake, until an officer "
                               "has received the signal (409 after that).")
    def delete(self, request, pk: int, attachment_pk: int):
        attachment, level = self.attachment(request, pk, attachment_pk)
        try:
            attachment_remove(attachment=attachment, actor=request.user, level=level)
        except AttachmentRefused as exc:
            raise Problem(status_code=409, type_="bijlage-geweigerd", title=_("Conflict"),
                          detail=exc.message) from None
        return Response(status=204)
