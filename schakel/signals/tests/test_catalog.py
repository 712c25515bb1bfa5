"""The catalogues (forms of exploitation, indicators) are read once per process."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from schakel.signals import catalog
from schakel.signals.forms import QueueFilterForm
from schakel.signals.models import ExploitationForm, Indicator


def test_a_signals_forms_and_indicators_come_in_one_query_in_the_catalogues_order(
        employee, make_signal, django_assert_num_queries):
    signal = make_signal(employee, forms=("sexual", "labour"))
    chosen = list(Indicator.objects.filter(form__code="labour").order_by("-order")[:2])
    chosen.append(Indicator.objects.filter(form__code="criminal").first())
    signal.indicators.set(chosen)
    catalog.forms()  # kept by an earlier request
    with django_assert_num_queries(1):
        forms, indicators = catalog.of_signal(signal.pk)
    assert forms == list(signal.forms.order_by("order"))
    assert indicators == list(signal.indicators.order_by("form__order", "order"))
    with translation.override("nl"):
        assert [str(i.form) for i in indicators] == [str(i.form) for i in
                                                     signal.indicators.order_by(
                                                         "form__order", "order")]


def test_a_form_seeded_after_the_catalogue_was_kept_is_found(employee, make_signal):
    catalog.forms()
    late = ExploitationForm.objects.create(code="late", name_nl="Laat", name_en="Late",
                                           order=99)
    indicator = Indicator.objects.create(form=late, text_nl="Iets", text_en="Something")
    signal = make_signal(employee)
    signal.forms.add(late)
    signal.indicators.add(indicator)
    forms, indicators = catalog.of_signal(signal.pk)
    assert late in forms and indicators == [indicator] and indicators[0].form == late
    assert ("late", "Laat") in [(c, n) for c, n in QueueFilterForm().fields["form"].choices]


def test_the_queue_filter_reads_no_catalogue_once_it_is_kept(db):
    QueueFilterForm()
    with CaptureQueriesContext(connection) as queries:
        form = QueueFilterForm({"form": "labour"})
        assert form.is_valid() and form.cleaned_data["form"].code == "labour"
    assert len(queries) == 0
