"""A policy officer drafts a council report, makes it final and downloads it."""

import threading

import pytest
from django.db import connection

from schakel.reports.models import Report


@pytest.fixture
def worker(transactional_db):
    """The database task worker, polling in a thread beside the live server."""
    from django_tasks_db.management.commands.db_worker import Worker

    # Worker.run without the command: signal handlers can only be set in the main thread.
    db_worker = Worker(queue_names=["default"], interval=0.2, batch=False,
                       backend_name="default", startup_delay=False, max_tasks=None,
                       worker_id="browser-test", excluded_queue_names=[])

    def run():
        try:
            db_worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield
    db_worker.running = False
    # It finishes the task in hand first (a report's PDF can take half a minute on a busy
    # machine); one left running would go on into the next tests (it once logged into
    # a later test's closed output).
    thread.join(timeout=180)
    assert not thread.is_alive(), "the task worker did not stop"


@pytest.mark.browser
def test_policy_drafts_finalises_and_downloads_a_report(page, live_server, login, policy, worker):
    login(page, policy)
    page.goto(f"{live_server.url}/raadsrapportages/")
    page.get_by_label("Jaar").select_option("2025")
    page.get_by_role("button", name="Concept beginnen").click()
    # htmx polls the progress and reloads the page when the files are there.
    page.get_by_role("link", name="PDF downloaden").wait_for(timeout=60_000)
    page.get_by_label("Inleiding").fill("Het tweede jaar van de aanpak.")
    page.get_by_role("button", name="Opslaan en concept opnieuw opmaken").click()
    page.get_by_role("button", name="Definitief maken").wait_for(timeout=60_000)
    page.get_by_role("button", name="Definitief maken").click()
    page.get_by_role("link", name="PDF downloaden").wait_for(timeout=60_000)
    assert page.get_by_text("Definitief gemaakt op").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF downloaden").click()
    path = download.value.path()
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert "definitief" in download.value.suggested_filename
    report = Report.objects.get(year=2025)
    assert report.status == "final"
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV downloaden").click()
    with open(csv_download.value.path(), "rb") as f:
        assert bytes(report.files.get(format="csv").content) == f.read()
