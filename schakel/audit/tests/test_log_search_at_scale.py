"""The log's searches read a page through an index: no count, any page as fast as the first."""

import pytest
from django.urls import reverse

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity, ProcessingRecord


def _views(user, n, subject="aaaaaaaa-0000-4000-8000-000000000001"):
    for _ in range(n):
        log_processing(actor=user, activity=Activity.VIEW, action=Action.READ,
                       subjects=[subject])


@pytest.mark.django_db
def test_a_users_records_come_newest_first_fifty_at_a_time(client, officer, officer2):
    _views(officer2, 120)
    client.force_login(officer)
    first = client.get(reverse("audit:search"), {"user": officer2.pk})
    rows = first.context["page"].rows
    assert len(rows) == 50
    assert [r.seq for r in rows] == sorted((r.seq for r in rows), reverse=True)
    assert {r.actor_pk for r in rows} == {officer2.pk}
    older = first.context["page"].older
    second = client.get(reverse("audit:search"), {"user": officer2.pk, "before": older})
    assert second.context["page"].rows[0].seq < older
    third = client.get(reverse("audit:search"),
                       {"user": officer2.pk, "before": second.context["page"].older})
    assert len(third.context["page"].rows) == 20 and third.context["page"].older is None
    back = client.get(reverse("audit:search"),
                      {"user": officer2.pk, "after": third.context["page"].newer})
    assert [r.seq for r in back.context["page"].rows] == \
        [r.seq for r in second.context["page"].rows]
    html = second.content.decode()
    assert "before=" in html and "after=" in html


@pytest.mark.django_db
def test_the_log_search_costs_the_same_queries_at_10_and_1000_records(
        client, officer, officer2):
    client.force_login(officer)
    _views(officer2, 10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("audit:search"), params).status_code == 200
        return len(queries)

    count({"user": officer2.pk})  # the first request of a session does more
    subject = "aaaaaaaa-0000-4000-8000-000000000001"
    small = [count({"user": officer2.pk}), count({"subject": subject})]
    _views(officer2, 990)
    assert ProcessingRecord.objects.filter(actor_pk=officer2.pk).count() == 1000
    large = [count({"user": officer2.pk}), count({"subject": subject})]
    assert small == large


@pytest.mark.django_db
def test_a_reference_is_found_in_any_case_through_the_unique_index(client, officer, employee,
                                                                   make_signal):
    signal = make_signal(employee)
    client.force_login(officer)
    response = client.get(reverse("audit:search"), {"reference": signal.reference.lower()})
    assert response.context["page"].rows  # the signal's records, found case-insensitively
    assert signal.reference in response.content.decode().split("<tbody>", 1)[-1]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["-1", "abc", "99999999999999999999999"])
def test_a_bad_page_key_shows_the_newest(client, officer, officer2, bad):
    _views(officer2, 3)
    client.force_login(officer)
    for name in ("before", "after"):
        response = client.get(reverse("audit:search"), {"user": officer2.pk, name: bad})
        assert response.status_code == 200
        assert len(response.context["page"].rows) == 3
