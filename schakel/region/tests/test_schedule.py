"""The region's periodic fetch waits in the task queue once, and only on the region's
installation."""

import pytest

from schakel.region import tasks

pytestmark = pytest.mark.django_db


def test_a_municipalitys_installation_plans_no_fetch():
    assert tasks.schedule_fetch() is False


def test_the_regions_installation_plans_one_fetch(region_settings):
    from django_tasks_db.models import DBTaskResult

    assert tasks.schedule_fetch() is True
    assert tasks.schedule_fetch() is False
    waiting = DBTaskResult.objects.filter(task_path=tasks.scheduled_fetch.module_path,
                                          status="READY")
    assert waiting.count() == 1 and waiting.get().run_after is not None


def test_the_button_queues_one_fetch_at_a_time(region_settings):
    assert tasks.request_fetch() is True
    assert tasks.request_fetch() is False
