"""The partners and routing rules the plan names, with placeholder mailboxes marked demo.

Idempotent: a partner or rule is created once (by its code) and never overwritten,
so what the officer or administrator changed stays. An existing installation gets the
partners added to this list later by running `manage.py partners_seed` again.
"""

from django.db import transaction

from schakel.signals.models import ExploitationForm

from .models import Condition, Partner, Priority, ReferralSettings, RoutingRule

# code, name, takes (signals, advice, care), care coordinator, forms, description
PARTNERS = [
    ("avim", "Politie – AVIM", (True, True, False), False,
     ["sexual", "labour", "criminal", "other"],
     "Afdeling Vreemdelingenpolitie, Identificatie en Mensenhandel. Bij een zeer ernstig "
     "signaal waarop direct ingrijpen nodig is."),
    ("nla", "Nederlandse Arbeidsinspectie (NLA)", (True, True, False), False, ["labour"],
     "Bij arbeidsuitbuiting."),
    ("zorgcoordinator", "Zorgcoördinator mensenhandel (Moviera)", (True, True, True), True,
     ["sexual", "labour", "criminal", "other"],
     "Er wordt altijd een melding gedaan bij de zorgcoördinator mensenhandel."),
    ("riec", "RIEC Midden-Nederland (ketenregisseur)", (True, True, False), False,
     ["sexual", "labour", "criminal", "other"], "Regionale ketenregie mensenhandel."),
    ("comensha", "CoMensha", (True, True, False), False, ["sexual", "labour", "criminal", "other"],
     "Landelijk coördinatiecentrum tegen mensenhandel."),
    ("mma", "Meld Misdaad Anoniem", (True, False, False), False, [],
     "Anoniem melden: 0800-7000."),
    ("swom", "SWOM", (True, False, True), False, [], "Sociaal werk."),
    ("jeugdteam", "Jeugdteam", (True, False, True), False, ["sexual", "criminal"],
     "Bij minderjarigen."),
    ("jongerenwerk", "Jongerenwerk", (True, False, False), False, ["criminal"], ""),
    ("ggd", "GGD", (True, True, True), False, ["sexual"], ""),
    ("woningcorporaties", "Woningcorporaties", (True, False, False), False, [],
     "Bij signalen over woningen en verhuurders."),
    # §3.4: integral administrative controls with the police, the Belastingdienst and the NLA.
    ("belastingdienst", "Belastingdienst", (True, False, False), False, ["labour", "criminal"],
     "Neemt deel aan integrale bestuurlijke controles op risicoadressen (§3.4)."),
    # §3.3.2 and step 3: the community officers join the partner consultation and the local
    # case meeting, with the undermining specialist of the base team.
    ("politie-basisteam", "Politie – basisteam De Copen (wijkagenten)", (True, True, False),
     False, ["sexual", "labour", "criminal", "other"],
     "Wijkagenten van Montfoort en de ondermijningsspecialist van basisteam De Copen: bij het "
     "overleg met de uitvoerende ketenpartners (§3.3) en het lokale ondermijningsoverleg."),
    # §3.4: cases are taken up locally or at the regional undermining table.
    ("rto", "Regionale ondermijningstafel (RTO) Midden-Nederland", (True, True, False), False,
     ["sexual", "labour", "criminal", "other"],
     "Casuïstiek over dadernetwerken die lokaal niet op te pakken is (§3.4)."),
]

RULES = [
    ("urgent-avim", Condition.URGENT, None, "avim", Priority.IMMEDIATE, 10,
     "Bel direct 0900-8844, bij acuut gevaar 112."),
    ("labour-nla", Condition.FORM, "labour", "nla", Priority.NORMAL, 20, ""),
    ("always-zorgcoordinator", Condition.ALWAYS, None, "zorgcoordinator", Priority.NORMAL, 30, ""),
]


@transaction.atomic
def load_defaults() -> int:
    """Create what is missing. Returns the number of rows created."""
    ReferralSettings.current()
    forms = {f.code: f for f in ExploitationForm.objects.all()}
    created = 0
    partners = {}
    for code, name, (signals, advice, care), coordinator, form_codes, text in PARTNERS:
        # An administrator may already have added this partner by hand: adopt it, keep it as is.
        Partner.objects.filter(code__isnull=True, name=name).update(code=code)
        partner, new = Partner.objects.get_or_create(code=code, defaults={
            "name": name, "description": text, "email": f"{code}@demo.schakel.invalid",
            "takes_signals": signals, "takes_advice": advice, "takes_care": care,
            "is_care_coordinator": coordinator, "is_demo": True,
        })
        if new:
            partner.forms.set([forms[c] for c in form_codes if c in forms])
            created += 1
        partners[code] = partner
    for code, condition, form, partner, priority, order, advice in RULES:
        _rule, new = RoutingRule.objects.get_or_create(code=code, defaults={
            "condition": condition, "form": forms.get(form) if form else None,
            "partner": partners[partner], "priority": priority, "order": order,
            "advice": advice,
        })
        created += new
    return created
