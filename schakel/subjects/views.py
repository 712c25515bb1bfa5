"""Thin views of the register. Only officers come in; everyone else gets 404.

Search terms travel in POST bodies only: never in a URL, never in the log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.core.access import require_role
from schakel.signals.access import get_signal_for_officer

from . import actions, engine, importer
from .forms import EnrichmentSearchForm, LinkForm, MappingForm, SearchForm, SourceForm, UploadForm
from .models import ImportRun, ImportState, Record, Source

# ---------------------------------------------------------------- search


@login_required
def search(request):
    require_role(request.user, Role.OFFICER)
    candidates = None
    form = SearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        query = engine.Query(kind=data["kind"], name=data["name"],
                             date_of_birth=data["date_of_birth"], kvk_number=data["kvk_number"],
                             street=data["street"], postcode=data["postcode"], city=data["city"])
        candidates = actions.register_search(actor=request.user, query=query,
                                             purpose=data["purpose"])
    return render(request, "subjects/search.html", {"form": form, "candidates": candidates})


# ---------------------------------------------------------------- enrichment (step 3)


@login_required
def enrichment(request, pk):
    """Step 3: candidates for every subject, and a search box per subject filled from the
    signal. A search with other particulars is a POST, so its terms stay out of URLs."""
    signal = get_signal_for_officer(request.user, pk)
    bound, queries = None, {}
    if request.method == "POST":
        bound = EnrichmentSearchForm(request.POST, prefix_id=request.POST.get("subject"))
        if bound.is_valid():
            subject = signal.subjects.filter(pk=bound.cleaned_data["subject"]).first()
            if subject is None:
                raise Http404
            data = bound.cleaned_data
            queries[subject.pk] = engine.Query(
                kind=subject.kind, name=data["name"], date_of_birth=data["date_of_birth"],
                kvk_number=data["kvk_number"], street=data["street"],
                postcode=data["postcode"], city=data["city"])
    groups = []
    for subject, candidates, links in actions.enrichment_propose(
            actor=request.user, signal=signal, queries=queries):
        own = bound is not None and str(bound.data.get("subject")) == str(subject.pk)
        form = bound if own else EnrichmentSearchForm.for_subject(subject)
        groups.append((subject, candidates, links, form, own))
    return render(request, "subjects/enrichment.html", {"signal": signal, "groups": groups})


@login_required
@require_POST
def decide(request, pk):
    signal = get_signal_for_officer(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That choice could not be saved. Please try again."))
        return redirect("subjects:enrichment", pk=signal.pk)
    data = form.cleaned_data
    subject = signal.subjects.filter(pk=data["subject"]).first()
    record = Record.objects.visible_to(request.user).select_related("source").filter(
        pk=data["record"]).first()
    if subject is None or record is None:
        raise Http404
    actions.link_decide(actor=request.user, signal=signal, subject=subject, record=record,
                        decision=data["decision"], score=data["score"] or 0,
                        reason=data["reason"])
    if data["decision"] == "linked":
        messages.success(request, _("Linked to %(subject)s.") % {"subject": subject})
    else:
        messages.success(request, _("Candidate rejected."))
    return redirect(reverse("subjects:enrichment", args=[signal.pk]) + f"#subject-{subject.pk}")


# ---------------------------------------------------------------- sources and imports


@login_required
def sources(request):
    require_role(request.user, Role.OFFICER)
    rows = Source.objects.annotate(record_count=Count("records")).order_by("name")
    return render(request, "subjects/sources.html", {"sources": rows})


@login_required
def source_new(request):
    require_role(request.user, Role.OFFICER)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = actions.source_create(actor=request.user, values=form.cleaned_data)
        messages.success(request, _("Data set %(name)s added.") % {"name": source.name})
        return redirect("subjects:source", pk=source.pk)
    return render(request, "subjects/source_new.html", {"form": form})


@login_required
def source_detail(request, pk):
    require_role(request.user, Role.OFFICER)
    source = get_object_or_404(Source.objects.exclude(code=Source.SIGNALS), pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            prepared = importer.store_upload(upload)
        except importer.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            run = importer.import_start(actor=request.user, source=source,
                                        file_name=upload.name, prepared=prepared,
                                        kind=form.cleaned_data["kind"])
            return redirect("subjects:import", pk=run.pk)
    runs = source.imports.select_related("created_by")[:20]
    count = source.records.count()
    return render(request, "subjects/source_detail.html",
                  {"source": source, "form": form, "runs": runs, "count": count})


@login_required
def import_run(request, pk):
    """One page for the whole import: mapping, progress of the check, preview, result."""
    require_role(request.user, Role.OFFICER)
    run = get_object_or_404(ImportRun.objects.select_related("source"), pk=pk)
    context = {"run": run, "source": run.source}
    if run.state == ImportState.UPLOADED:
        form = MappingForm(request.POST or None, columns=run.columns,
                           initial_mapping=run.mapping)
        if request.method == "POST" and form.is_valid():
            run.mapping = form.mapping()
            run.state = ImportState.CHECKING
            run.checked_rows, run.errors, run.error_count = 0, [], 0
            run.save()
            return redirect("subjects:import", pk=run.pk)
        context["form"] = form
    elif run.state == ImportState.CHECKING:
        # Each visit checks the next chunk; the page reloads itself until all are done.
        importer.import_check(run=run)
        if run.state == ImportState.CHECKING:
            context["refresh"] = True
    if run.state == ImportState.CHECKED:
        fields = [(f, label) for f, label in importer.FIELDS.items() if f in run.mapping]
        rows = importer.preview(run)
        for row in rows:
            row["cells"] = [importer.shown(row["values"].get(f)) for f, _label in fields]
        context["preview"], context["fields"] = rows, fields
    if run.total_rows:
        context["percent"] = min(100, round(100 * run.checked_rows / (run.total_rows + 1)))
    return render(request, "subjects/import.html", context)


@login_required
@require_POST
def import_commit(request, pk):
    require_role(request.user, Role.OFFICER)
    run = get_object_or_404(ImportRun.objects.select_related("source"), pk=pk)
    if request.POST.get("restart"):
        run.state = ImportState.UPLOADED
        run.save(update_fields=["state"])
        return redirect("subjects:import", pk=run.pk)
    try:
        importer.import_commit(actor=request.user, run=run)
    except importer.ImportFileError as exc:
        ImportRun.objects.filter(pk=run.pk).update(state=ImportState.FAILED,
                                                   errors=[str(exc)], error_count=1)
        importer.discard(run)
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": exc})
    else:
        messages.success(request, _("Imported: %(created)s new, %(updated)s updated, "
                                    "%(unchanged)s unchanged.") % {
            "created": run.created, "updated": run.updated, "unchanged": run.unchanged})
    return redirect("subjects:import", pk=run.pk)
