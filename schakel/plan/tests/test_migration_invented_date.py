"""The migration that takes the invented due date "2025" off the shipped 3.5.2."""

import importlib
from datetime import date

import pytest
from django.apps import apps as global_apps

from schakel.plan.models import Action, Occurrence

migration = importlib.import_module("schakel.plan.migrations.0003_drop_the_invented_date_of_3_5_2")


@pytest.fixture
def shipped_with_2025(plan):
    action = plan["3.5.2"]
    action.occurrences.all().delete()
    Action.objects.filter(pk=action.pk).update(
        schedule_text="2025", description="Tekst." + migration.SHIPPED_NOTE)
    Occurrence.objects.create(action=action, key="2025-once", period_start=date(2025, 1, 1),
                              due=date(2025, 12, 31), known_since=date(2025, 1, 1))
    return action


def test_the_shipped_2025_becomes_an_open_moment_without_a_date(shipped_with_2025):
    migration.drop_invented_date(global_apps, None)
    action = Action.objects.get(pk=shipped_with_2025.pk)
    assert (action.schedule_text, action.description) == ("Geen datum", "Tekst.")
    (occ,) = action.occurrences.all()
    assert (occ.key, occ.due, occ.state) == ("undated", None, "undated")


def test_a_recorded_moment_and_a_changed_schedule_are_left_alone(shipped_with_2025, policy):
    occ = shipped_with_2025.occurrences.get()
    occ.status = "done"
    occ.save()
    migration.drop_invented_date(global_apps, None)
    assert shipped_with_2025.occurrences.filter(key="2025-once", status="done").exists()
    Action.objects.filter(pk=shipped_with_2025.pk).update(schedule_text="najaar 2026")
    migration.drop_invented_date(global_apps, None)
    assert Action.objects.get(pk=shipped_with_2025.pk).schedule_text == "najaar 2026"
