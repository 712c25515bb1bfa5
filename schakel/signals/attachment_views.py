"""Adding and downloading a signal's attachments (see attachments.py for who may what)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.core.responses import file_download

from .access import get_signal_for
from .attachments import (
    AttachmentRefused,
    attachment_read,
    attachment_remove,
    attachments_add,
    visible_attachments,
)
from .forms import AttachmentForm


@login_required
@require_POST
def attachment_upload(request, pk):
    signal, level = get_signal_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES, required=True)
    if form.is_valid():
        try:
            added = attachments_add(signal=signal, actor=request.user, files=form.checked,
                                    level=level)
        except AttachmentRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)d file(s) added.") % {"n": len(added)})
    else:
        errors = " ".join(form.errors.get("files", [])) or _("Choose a file.")
        messages.error(request, _("Nothing has been added: %(errors)s") % {"errors": errors})
    return redirect(reverse("signals:detail", args=[signal.pk]) + "#h-attachments")


@login_required
def attachment_download(request, pk, attachment_pk):
    signal, level = get_signal_for(request.user, pk)
    attachment = get_object_or_404(visible_attachments(request.user, signal, level),
                                   pk=attachment_pk)
    try:
        contents = attachment_read(attachment=attachment, actor=request.user)
    except FileNotFoundError:
        raise Http404 from None
    return file_download(contents, content_type=attachment.content_type,
                         name=attachment.name)


@login_required
def attachment_thumbnail(request, pk, attachment_pk):
    """The small PNG made from an image, shown on the signal page; the read is logged."""
    signal, level = get_signal_for(request.user, pk)
    attachment = get_object_or_404(visible_attachments(request.user, signal, level),
                                   pk=attachment_pk)
    try:
        contents = attachment_read(attachment=attachment, actor=request.user, thumbnail=True)
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(contents, content_type="image/png")
    response["Content-Disposition"] = 'inline; filename="voorbeeld.png"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    signal, level = get_signal_for(request.user, pk)
    attachment = get_object_or_404(visible_attachments(request.user, signal, level),
                                   pk=attachment_pk)
    try:
        attachment_remove(attachment=attachment, actor=request.user, level=level)
    except AttachmentRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file has been removed."))
    return redirect(reverse("signals:detail", args=[signal.pk]) + "#h-attachments")
