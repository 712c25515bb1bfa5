"""The shipped directory: the partners the plan names, loaded once, for old installations too."""

import pytest

from schakel.partners.models import Partner
from schakel.partners.seed import PARTNERS, load_defaults

pytestmark = pytest.mark.django_db

PLAN_PARTNERS = {"belastingdienst", "politie-basisteam", "rto"}


def test_the_partners_of_the_plan_are_in_the_shipped_directory():
    load_defaults()
    codes = set(Partner.objects.values_list("code", flat=True))
    assert PLAN_PARTNERS <= codes
    names = set(Partner.objects.filter(code__in=PLAN_PARTNERS).values_list("name", flat=True))
    assert "Belastingdienst" in names
    assert any("wijkagenten" in n for n in names)
    assert any("RTO" in n and "Midden-Nederland" in n for n in names)


def test_an_existing_installation_gets_only_the_missing_partners():
    load_defaults()
    Partner.objects.filter(code__in=PLAN_PARTNERS).delete()
    Partner.objects.filter(code="nla").update(description="Eigen tekst van de beheerder")
    assert load_defaults() == len(PLAN_PARTNERS)
    assert Partner.objects.get(code="nla").description == "Eigen tekst van de beheerder"
    assert load_defaults() == 0
    assert Partner.objects.count() == len(PARTNERS)


def test_a_partner_added_by_hand_under_the_same_name_is_adopted_not_doubled():
    load_defaults()
    Partner.objects.filter(code="belastingdienst").delete()
    own = Partner.objects.create(name="Belastingdienst", email="bd@example.invalid")
    load_defaults()
    own.refresh_from_db()
    assert own.code == "belastingdienst"
    assert own.email == "bd@example.invalid"
    assert Partner.objects.filter(name="Belastingdienst").count() == 1
