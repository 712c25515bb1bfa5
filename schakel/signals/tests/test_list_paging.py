"""The long lists page without counting the whole list: keyset links for the own and
team lists, page numbers with a bounded count for the work queue."""

import re

import pytest
from django.urls import reverse

from schakel.core.keyset import bounded_page
from schakel.signals.models import Signal

from .test_query_counts_at_scale import add_signals

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_a_page(settings):
    settings.SCHAKEL = {**settings.SCHAKEL, "QUEUE_PAGE_SIZE": 4}


def _refs(html):
    return re.findall(r"MH-\d{4}-9\d{5}", html)


def test_my_signals_page_newest_first_through_older_and_newer_links(
        client, employee, officer, four_a_page):
    signals = add_signals(10, reporter=employee, officer=officer)
    newest_first = [s.reference for s in sorted(signals, key=lambda s: -s.pk)]
    client.force_login(employee)
    url = reverse("signals:mine")
    first = client.get(url)
    assert _refs(first.content.decode()) == newest_first[:4]
    older = first.context["page"].older
    assert f"?before={older}" in first.content.decode()
    second = client.get(url, {"before": older})
    assert _refs(second.content.decode()) == newest_first[4:8]
    back = client.get(url, {"after": second.context["page"].newer})
    assert _refs(back.content.decode()) == newest_first[:4]
    last = client.get(url, {"before": second.context["page"].older})
    assert _refs(last.content.decode()) == newest_first[8:]
    assert last.context["page"].older is None and last.context["page"].newer is not None


def test_a_page_past_either_end_shows_the_newest_rather_than_nothing(
        client, employee, officer, four_a_page):
    add_signals(6, reporter=employee, officer=officer)
    client.force_login(employee)
    url = reverse("signals:mine")
    newest = _refs(client.get(url).content.decode())
    for params in ({"before": "1"}, {"after": "999999999"}, {"before": "x"},
                   {"after": "-1"}, {"page": "7"}):
        assert _refs(client.get(url, params).content.decode()) == newest


def test_the_team_list_pages_only_the_teams_submitted_signals(
        client, team_lead, employee, officer, make_user, make_signal, four_a_page):
    draft = make_signal(employee, submit=False)  # first: add_signals sets ids itself
    ours = add_signals(6, reporter=employee, officer=officer)
    add_signals(3, reporter=make_user("employee", team="Sociaal Team"), officer=officer)
    client.force_login(team_lead)
    url = reverse("signals:team")
    first = client.get(url)
    second = client.get(url, {"before": first.context["page"].older})
    shown = _refs(first.content.decode()) + _refs(second.content.decode())
    assert shown == [s.reference for s in sorted(ours, key=lambda s: -s.pk)]
    assert second.context["page"].older is None
    assert draft.pk not in [s.pk for s in first.context["page"]]


def test_the_queue_counts_only_up_to_a_bound(client, officer, employee, four_a_page):
    add_signals(9, reporter=employee, officer=officer)
    client.force_login(officer)
    html = client.get(reverse("signals:queue"), {"tab": "all", "page": 2}).content.decode()
    assert "Pagina 2 van 3" in html
    page = bounded_page(Signal.objects.order_by("-id"), 2, per_page=4, bound=5)
    assert page.total is None and page.has_next() and len(page) == 4
    assert bounded_page(Signal.objects.order_by("-id"), 3, per_page=4, bound=50).num_pages == 3


def test_the_queue_says_more_than_the_bound_when_the_list_is_longer(
        client, officer, employee, four_a_page, monkeypatch):
    from schakel.signals import views

    add_signals(9, reporter=employee, officer=officer)
    real = views.bounded_page
    monkeypatch.setattr(views, "bounded_page", lambda *a, **k: real(*a, **k, bound=5))
    client.force_login(officer)
    html = client.get(reverse("signals:queue"), {"tab": "all", "page": 3}).content.decode()
    assert "Pagina 3 (meer dan 5)" in html
    assert "?tab=all&amp;page=2" in html and "page=4" not in html


def _with_ties(signals):
    """Some signals share their moment of filing and some their state: the keys must
    still tell every row apart (the id last)."""
    from datetime import timedelta

    for i, signal in enumerate(signals):
        Signal.objects.filter(pk=signal.pk).update(
            submitted_at=signals[0].submitted_at - timedelta(hours=i // 3),
            state=("received", "feedback_received", "referred")[i % 3])


SORTS = ["urgent", "oldest", "reference", "state"]


def _queue_with_ties(sort, employee, officer):
    """23 signals with ties, the queue's queryset in `sort` order and its ids."""
    from schakel.signals.views import QUEUE_SORTS

    _with_ties(add_signals(23, reporter=employee, officer=officer))
    queryset = Signal.objects.exclude(state="draft").order_by(*QUEUE_SORTS[sort])
    return queryset, list(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("sort", SORTS)
def test_past_the_counted_start_the_queue_pages_by_key_and_meets_every_signal_once(
        officer, employee, sort):
    queryset, expected = _queue_with_ties(sort, employee, officer)
    # Forward: page 1 by offset, then every page from the "next" link's key (bound 3:
    # everything after the first page goes by key).
    seen, page, number = [], bounded_page(queryset, 1, per_page=3, bound=3), 1
    pages = [page]
    while True:
        seen += [s.pk for s in page]
        if not page.has_next():
            break
        number += 1
        page = bounded_page(queryset, number, per_page=3, bound=3, after=page.next_cursor)
        assert page.total is None
        pages.append(page)
    assert seen == expected
    # Backward from the last page through the "previous" links' keys.
    page = pages[-1]
    for number in range(len(pages) - 1, 0, -1):
        page = bounded_page(queryset, number, per_page=3, bound=3, before=page.previous_cursor)
        assert [s.pk for s in page] == [s.pk for s in pages[number - 1]]
        assert page.has_next()


@pytest.mark.parametrize("cursor", ["x", "!!", "W10", "WzEsMl0", "WyJhIiwiYiIsImMiXQ",
                                    "a" * 500, "WzEsOTk5OTk5OTk5OTk5OTk5OTk5OTk5LDFd"])
def test_a_broken_or_forged_key_pages_by_offset_instead(officer, employee, cursor):
    add_signals(12, reporter=employee, officer=officer)
    queryset = Signal.objects.order_by("-urgent", "-submitted_at", "-id")
    by_offset = bounded_page(queryset, 3, per_page=3, bound=3)
    assert [s.pk for s in bounded_page(queryset, 3, per_page=3, bound=3, after=cursor)] == [
        s.pk for s in by_offset]


def test_the_queues_next_link_carries_the_key_and_leaves_no_personal_data(
        client, officer, employee, four_a_page, monkeypatch):
    import base64
    import json

    from schakel.signals import views

    signals = add_signals(13, reporter=employee, officer=officer)
    real = views.bounded_page
    monkeypatch.setattr(views, "bounded_page", lambda *a, **k: real(*a, **k, bound=4))
    client.force_login(officer)
    url = reverse("signals:queue")
    first = client.get(url, {"tab": "all"})
    link = re.search(r'href="\?tab=all&amp;page=2&amp;after=([\w-]+)"', first.content.decode())
    key = json.loads(base64.urlsafe_b64decode(link[1] + "=" * (-len(link[1]) % 4)))
    assert key[-1] in {s.pk for s in signals} and len(key) == 3  # urgent, filed, id
    second = client.get(url, {"tab": "all", "page": 2, "after": link[1]})
    third = client.get(url, {"tab": "all", "page": 3,
                             "after": second.context["page"].next_cursor})
    assert "Pagina 3 (meer dan 4)" in third.content.decode()
    shown = [_refs(r.content.decode()) for r in (first, second, third)]
    assert len(set(sum(shown, []))) == 12 and all(len(refs) == 4 for refs in shown)


def test_a_typed_page_past_the_bound_is_not_counted_but_one_near_it_is(
        officer, employee, django_assert_num_queries):
    add_signals(20, reporter=employee, officer=officer)
    queryset = Signal.objects.order_by("-id")
    newest_first = list(queryset.values_list("pk", flat=True))
    # The key of row 6 (the anchor of rows 7-12), the page's ids from it, its rows: no
    # count, no walk over the rows before the anchor.
    with django_assert_num_queries(3):
        page = bounded_page(queryset, 4, per_page=3, bound=6)  # rows 10-12
    assert [s.pk for s in page] == newest_first[9:12] and page.total is None
    with django_assert_num_queries(2):  # the anchor remembered
        page = bounded_page(queryset, 3, per_page=3, bound=6)  # rows 7-9
    assert [s.pk for s in page] == newest_first[6:9]
    page = bounded_page(queryset, 3, per_page=3, bound=7)  # rows 7-9: straddles the bound
    assert [s.pk for s in page] == newest_first[6:9] and page.total is None
    page = bounded_page(queryset, 3, per_page=3, bound=20)
    assert page.total == 20
    past = bounded_page(queryset, 40, per_page=3, bound=6)  # past the end: counted
    assert len(past) == 0 and past.total is None
    assert bounded_page(queryset, 8, per_page=3, bound=19).total is None  # 20 > 19
    seven = Signal.objects.filter(pk__in=newest_first[:7]).order_by("-id")
    assert bounded_page(seven, 3, per_page=3, bound=6).total is None  # 7 rows > 6
    assert bounded_page(seven, 3, per_page=3, bound=7).total == 7  # counted: all 7


@pytest.mark.parametrize("sort", SORTS)
def test_a_typed_page_number_past_the_bound_shows_the_rows_an_offset_would(
        officer, employee, sort):
    """Read from the remembered key of every bound-th row, ties and mixed orders too."""
    from django.core.cache import cache

    queryset, expected = _queue_with_ties(sort, employee, officer)
    for remembered in (False, True):
        if not remembered:
            cache.clear()
        for number in range(2, 10):
            page = bounded_page(queryset, number, per_page=3, bound=4)
            assert [s.pk for s in page] == expected[(number - 1) * 3:number * 3], number
            assert page.has_next() == (number * 3 < len(expected))


def test_a_remembered_anchor_shifts_a_typed_page_by_a_new_signal_but_never_breaks_it(
        officer, employee):
    queryset = Signal.objects.exclude(state="draft").order_by("-submitted_at", "-id")
    add_signals(12, reporter=employee, officer=officer)
    before = [s.pk for s in bounded_page(queryset, 3, per_page=3, bound=4)]
    add_signals(1, reporter=employee, officer=officer)  # newer than all: every row moves
    after = [s.pk for s in bounded_page(queryset, 3, per_page=3, bound=4)]
    expected = list(queryset.values_list("pk", flat=True))
    assert after == before  # read from the same anchor, in the list's order now
    assert expected.index(after[0]) == 7 and len(set(after)) == 3
