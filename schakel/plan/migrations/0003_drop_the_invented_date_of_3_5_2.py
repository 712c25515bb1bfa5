"""The shipped plan gave 3.5.2 (a place in the Integraal Veiligheidsplan 2026–2029) the due
date "2025", which the municipality's plan does not give. Installations that loaded the
shipped plan get "Geen datum" instead: one open moment without a date, never overdue.
A schedule the municipality changed itself is left alone, and so is anything recorded."""

from django.db import migrations

from schakel.core import clock

SHIPPED_TITLE = "Aanpak mensenhandel een plek geven in het Integraal Veiligheidsplan 2026-2029"
SHIPPED_NOTE = " Het plan noemt geen datum: gepland vóór de start van het nieuwe plan."


def drop_invented_date(apps, schema_editor):
    Action = apps.get_model("plan", "Action")
    Occurrence = apps.get_model("plan", "Occurrence")
    action = Action.objects.filter(code="3.5.2", title=SHIPPED_TITLE,
                                   schedule_text="2025").first()
    if action is None:
        return
    action.schedule_text = "Geen datum"
    action.description = action.description.replace(SHIPPED_NOTE, "")
    action.save(update_fields=["schedule_text", "description"])
    Occurrence.objects.filter(action=action, key="2025-once", status="planned",
                              attachments__isnull=True, meeting__isnull=True,
                              controls__isnull=True, trainings__isnull=True,
                              campaigns__isnull=True).delete()
    if action.active:
        Occurrence.objects.get_or_create(action=action, key="undated", defaults={
            "known_since": clock.now().date()})


class Migration(migrations.Migration):

    dependencies = [
        ("plan", "0002_occurrence_states_and_history"),
    ]

    operations = [
        migrations.RunPython(drop_invented_date, migrations.RunPython.noop),
    ]
