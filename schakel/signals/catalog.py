"""The catalogues: the forms of exploitation and the indicators of the signal cards.

They are seeded by migration and never edited in the app, so a process reads them once
and keeps them: the work queue's filter and the signal page then read only which of them
a signal has. An id the kept copy does not know (rows seeded after it was read, as tests
do after emptying the database) makes it read them again; `forget` drops the copy
(after migrations, and between tests).
"""

import threading

from django.db.models import Value
from django.db.models.signals import post_migrate

from schakel.core.prepared import Prepared

from .models import ExploitationForm, Indicator, Signal

_lock = threading.Lock()
_kept: dict | None = None


def _load() -> dict:
    global _kept
    with _lock:
        forms = {f.pk: f for f in ExploitationForm.objects.order_by("order", "pk")}
        indicators = {}
        for indicator in Indicator.objects.order_by("form__order", "order", "pk"):
            indicator.form = forms[indicator.form_id]
            indicators[indicator.pk] = indicator
        _kept = {"forms": forms, "indicators": indicators}
        return _kept


def _catalog(*, forms=(), indicators=()) -> dict:
    kept = _kept or _load()
    if any(pk not in kept["forms"] for pk in forms) or any(
            pk not in kept["indicators"] for pk in indicators):
        kept = _load()
    return kept


def forget(**kwargs) -> None:
    global _kept
    _kept = None


post_migrate.connect(forget, dispatch_uid="signals.catalog.forget")


def forms() -> list[ExploitationForm]:
    """Every form of exploitation, in the catalogue's order."""
    return list(_catalog()["forms"].values())


def forms_by_pk(pks) -> dict[int, ExploitationForm]:
    """The catalogue's forms by id, knowing every one of `pks`."""
    return _catalog(forms=pks)["forms"]


def _links(signal_id):
    forms = Signal.forms.through.objects.filter(signal_id=signal_id).values_list(
        Value("f"), "exploitationform_id")
    indicators = Signal.indicators.through.objects.filter(
        signal_id=signal_id).values_list(Value("i"), "indicator_id")
    return forms.union(indicators, all=True)


_LINKS = Prepared(_links)


def of_signal(signal_id: int) -> tuple[list[ExploitationForm], list[Indicator]]:
    """A signal's forms of exploitation and indicators, in the catalogue's order: one
    query over both link tables, built once (`Prepared`)."""
    form_ids, indicator_ids = set(), set()
    for kind, pk in _LINKS(signal_id):
        (form_ids if kind == "f" else indicator_ids).add(pk)
    catalog = _catalog(forms=form_ids, indicators=indicator_ids)
    return ([f for pk, f in catalog["forms"].items() if pk in form_ids],
            [i for pk, i in catalog["indicators"].items() if pk in indicator_ids])
