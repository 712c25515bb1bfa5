"""History lines written as sentences become a code with parameters.

Before this migration the referral action stored "Doorgezet naar Politie AVIM." (or the
English sentence, when the officer used English) in the encrypted remark, and a case
meeting's decision as "Lokaal ondermijningsoverleg van 12-05-2026: <decision>". The
sentences are recognised here in both languages, exactly as they were written (the
patterns are frozen here, not taken from today's translations), and turned into
`code` + `params`; what a person typed stays in the remark. A remark that matches no
pattern is left as it is, so nothing recorded is lost.
"""

import re
from datetime import date

from django.db import migrations, models

REFERRED = re.compile(r"^(?:Doorgezet naar|Referred to) (?P<partners>.+)\.$", re.DOTALL)
SETTLED = ("Alle doorverwijzingen zijn afgerond.", "All referrals are settled.")
DECISION = re.compile(r"^(?:Lokaal ondermijningsoverleg van|Local case meeting of) "
                      r"(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4}): (?P<text>.*)$", re.DOTALL)


def to_codes(apps, schema_editor):
    SignalEvent = apps.get_model("signals", "SignalEvent")
    events = (SignalEvent.objects.filter(code="")
              .filter(models.Q(transition__in=("refer", "settle")) | models.Q(kind="decision"))
              .only("pk", "kind", "transition", "remark"))
    for event in events.iterator(chunk_size=500):
        remark = event.remark or ""
        change = None
        if event.transition == "refer" and (found := REFERRED.match(remark)):
            change = {"code": "referred", "params": {"partners": [found["partners"]]},
                      "remark": ""}
        elif event.transition == "settle" and remark in SETTLED:
            change = {"code": "referrals_settled", "params": {}, "remark": ""}
        elif event.kind == "decision" and (found := DECISION.match(remark)):
            try:
                day = date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                continue
            change = {"code": "case_meeting_decision", "params": {"date": day.isoformat()},
                      "remark": found["text"]}
        if change:
            # The remark's field encrypts what is left of it, as before.
            SignalEvent.objects.filter(pk=event.pk).update(**change)


def to_sentences(apps, schema_editor):
    """Back to the Dutch sentences (the installation's default language)."""
    SignalEvent = apps.get_model("signals", "SignalEvent")
    for event in SignalEvent.objects.exclude(code="").iterator(chunk_size=500):
        if event.code == "referred":
            remark = "Doorgezet naar " + ", ".join(event.params.get("partners", [])) + "."
        elif event.code == "referrals_settled":
            remark = "Alle doorverwijzingen zijn afgerond."
        elif event.code == "case_meeting_decision":
            day = date.fromisoformat(event.params["date"])
            remark = f"Lokaal ondermijningsoverleg van {day:%d-%m-%Y}: {event.remark}"
        else:
            continue
        SignalEvent.objects.filter(pk=event.pk).update(remark=remark, code="", params={})


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0013_merge_branches'),
    ]

    operations = [
        migrations.AddField(
            model_name='signalevent',
            name='code',
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name='signalevent',
            name='params',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(to_codes, to_sentences),
    ]
