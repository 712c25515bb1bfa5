import pytest
from django.core.management import call_command

from schakel.reports.models import Report


@pytest.mark.django_db
def test_the_demo_makes_one_rendered_draft_and_is_idempotent():
    call_command("reports_demo")
    call_command("reports_demo")
    (report,) = Report.objects.all()
    assert report.files.count() == 3
    assert report.pillar_texts["2"].startswith("De interne meldroute")
