"""Pages answer in a fixed number of queries, whatever the number of referrals."""

import pytest
from django.urls import reverse

from schakel.signals.actions import SubjectData


@pytest.fixture
def many(make_signal, employee, officer, send_to, clock):
    signals = []
    for n in range(6):
        signal = make_signal(employee, steps=["receive"], officer=officer, subjects=[
            SubjectData(kind="person", values={"name": f"P{n}-{i}", "capacity": "victim"})
            for i in range(3)])
        send_to(signal, "zorgcoordinator", "nla", "avim",
                subject_ids=list(signal.subjects.values_list("pk", flat=True)))
        signals.append(signal)
    return signals


@pytest.mark.parametrize("name", ["partners:referrals", "partners:outbox", "partners:directory",
                                  "partners:rules"])
def test_list_pages_use_a_fixed_number_of_queries(client, officer, many, name,
                                                  django_assert_max_num_queries):
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(name) + "?show=all").status_code == 200


def test_the_referral_and_refer_pages_are_bounded(client, officer, many,
                                                  django_assert_max_num_queries):
    client.force_login(officer)
    referral = many[0].referrals.first()
    with django_assert_max_num_queries(16):
        assert client.get(reverse("partners:referral", args=[referral.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("partners:refer", args=[many[0].pk])).status_code == 200


def test_the_partners_page_is_bounded(client, many, token_of, django_assert_max_num_queries):
    # About half are the processing log's writes (audit event, chain head, records).
    with django_assert_max_num_queries(20):
        assert client.get(reverse("partners:link", args=[token_of()])).status_code == 200


SECTION = ("{% load partners_tags %}{% referral_section signal as s %}"
           "{{ s.referrals|length }} {{ s.skips|length }} "
           "{% for r in s.referrals %}{% if r.failed_request %}x{% endif %}{% endfor %}")


def test_the_signal_section_reads_its_referrals_in_one_query(
        client, officer, many, django_assert_num_queries):
    from django.template import Context, Template

    with django_assert_num_queries(1):  # no failed request, no skip: nothing more to read
        assert Template(SECTION).render(Context({"signal": many[0]})) == "3 0 "


def test_the_signal_section_reads_failed_requests_and_skips_only_when_there_are_some(
        many, django_assert_num_queries):
    from django.template import Context, Template

    from schakel.partners.models import (
        CareCoordinatorSkip,
        MessageStatus,
        OutboxMessage,
        Partner,
        Referral,
        ReferralState,
    )

    signal = many[0]
    referrals = list(Referral.objects.filter(signal=signal).order_by("created_at", "pk"))
    Referral.objects.filter(pk=referrals[0].pk).update(state=ReferralState.SENT)
    OutboxMessage.objects.filter(referral=referrals[0]).update(status=MessageStatus.FAILED)
    CareCoordinatorSkip.objects.create(signal=signal, partner=Partner.objects.first(),
                                       reason="Al in beeld", by=signal.officer,
                                       at=signal.submitted_at)
    with django_assert_num_queries(3):  # the referrals, the failed request, the skip
        assert Template(SECTION).render(Context({"signal": signal})) == "3 1 x"
    # A failed request of a referral no longer waiting is not "not delivered".
    Referral.objects.filter(pk=referrals[0].pk).update(state=ReferralState.WITHDRAWN)
    with django_assert_num_queries(2):  # the referrals, the skip
        assert Template(SECTION).render(Context({"signal": signal})) == "3 1 "


def test_all_referrals_page_newest_first_by_the_key_of_the_last_one_shown(
        client, officer, many, settings):
    settings.SCHAKEL = {**settings.SCHAKEL, "QUEUE_PAGE_SIZE": 5}
    from schakel.partners.models import Referral

    newest_first = list(Referral.objects.order_by("-id").values_list("id", flat=True))
    client.force_login(officer)
    url = reverse("partners:referrals")
    seen, params = [], {"show": "all"}
    while True:
        page = client.get(url, params).context["page"]
        seen += [r.pk for r in page]
        if page.older is None:
            break
        params = {"show": "all", "before": page.older}
    assert seen == newest_first  # 18 referrals: four pages, none twice, none left out
    html = client.get(url, {"show": "all", "before": newest_first[4]}).content.decode()
    assert f"show=all&amp;after={newest_first[5]}" in html


def test_a_signal_without_referrals_costs_the_section_one_query(
        make_signal, employee, officer, django_assert_num_queries):
    from django.template import Context, Template

    signal = make_signal(employee, steps=["receive"], officer=officer)
    template = Template("{% load partners_tags %}{% referral_section signal as s %}"
                        "{{ s.referrals|length }}{{ s.skips|length }}")
    with django_assert_num_queries(1):  # the referrals: no skip exists without one
        assert template.render(Context({"signal": signal})) == "00"
