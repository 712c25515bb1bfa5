"""Lijst controleren: an officer checks a whole list against the register at once.

For example the police's risk addresses before an integral control (plan §3.4). The
list is read from a temporary copy in the request and thrown away; the matches go
back to the officer's browser only, with the download buttons carrying them sealed
(`batch.seal`: compressed, encrypted, an hour valid). Only officers; everyone else
gets 404. The terms travel in POST bodies only and never reach the processing log.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.core import clock
from schakel.core.access import require_role

from . import batch, tabular
from .forms import PURPOSE_HELP

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             batch.xlsx_bytes),
    "csv": ("text/csv; charset=utf-8", batch.csv_bytes),
}


class ListForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List"),
        help_text=gettext_lazy("CSV, XLSX or JSON Lines, one person, organisation or address "
                               "a row, the first row holding the column names."))
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200,
                              help_text=PURPOSE_HELP)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((*tabular.SPREADSHEET, *tabular.JSON_LINES)):
            raise forms.ValidationError(_("Choose a .csv, .xlsx or .jsonl file."))
        return upload


class DownloadForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS])


@never_cache
@login_required
def list_check(request):
    require_role(request.user, Role.OFFICER)
    form = ListForm(request.POST or None, request.FILES or None)
    context = {"form": form, "max_rows": batch.PAGE_ROWS}
    if request.method == "POST" and form.is_valid():
        try:
            rows = batch.read_upload(form.cleaned_data["file"])
        except batch.FileRefused as exc:
            form.add_error("file", str(exc))
        else:
            purpose = form.cleaned_data["purpose"]
            rows = batch.match_rows(rows, actor=request.user, purpose=purpose)
            context.update(
                rows=rows, token=batch.seal(batch.output_rows(rows), purpose),
                found=sum(1 for r in rows if r.candidates),
                errors=sum(1 for r in rows if r.error),
                none=sum(1 for r in rows if not r.candidates and not r.error))
    return render(request, "subjects/list_check.html", context)


@never_cache
@login_required
@require_POST
def list_download(request):
    require_role(request.user, Role.OFFICER)
    form = DownloadForm(request.POST)
    sealed = batch.unseal(form.cleaned_data["token"]) if form.is_valid() else None
    if sealed is None:
        messages.error(request, _("These results can no longer be downloaded (after an "
                                  "hour they expire). Upload the list again."))
        return redirect("subjects:list_check")
    purpose, out_rows = sealed
    fmt = form.cleaned_data["format"]
    batch.log_download(actor=request.user, purpose=purpose, rows=len(out_rows), fmt=fmt)
    content_type, render_file = FORMATS[fmt]
    response = HttpResponse(render_file(out_rows), content_type=content_type)
    name = f"lijst-overeenkomsten-{clock.now():%Y%m%d-%H%M}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
