"""Access per role for every view, the pages themselves and their query counts."""

import pytest
from django.urls import reverse

from schakel.core import clock
from schakel.reports.models import RenderState, Report, ReportFile
from schakel.reports.tasks import render_now

from .conftest import at

pytestmark = pytest.mark.django_db

OUTSIDERS = ("employee", "team_lead", "admin_user")


@pytest.fixture
def report(policy):
    report = Report.objects.create(year=2025, created_by=policy, created_at=clock.now(),
                                   render_state=RenderState.QUEUED)
    render_now(report.pk)
    report.refresh_from_db()
    return report


def _views(report):
    pk = report.pk
    return [
        ("get", reverse("reports:dashboard")),
        ("get", reverse("reports:list")),
        ("post", reverse("reports:list")),
        ("get", reverse("reports:detail", args=[pk])),
        ("post", reverse("reports:detail", args=[pk])),
        ("get", reverse("reports:progress", args=[pk])),
        ("post", reverse("reports:render", args=[pk])),
        ("post", reverse("reports:retry", args=[pk])),
        ("post", reverse("reports:finalise", args=[pk])),
        ("get", reverse("reports:file", args=[pk, "html"])),
        ("get", reverse("reports:file", args=[pk, "pdf"])),
        ("get", reverse("reports:file", args=[pk, "csv"])),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_view_is_404_for_other_roles(client, request, report, who):
    client.force_login(request.getfixturevalue(who))
    for method, url in _views(report):
        assert getattr(client, method)(url).status_code == 404, url


def test_every_view_sends_anonymous_users_to_the_login(client, report):
    for method, url in _views(report):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"], url


def test_officers_read_but_do_not_draft_or_finalise(client, officer, report):
    client.force_login(officer)
    for method, url in _views(report):
        status = getattr(client, method)(url).status_code
        assert status == (200 if method == "get" else 404), url


def test_policy_reads_everything(client, policy, report):
    client.force_login(policy)
    for method, url in _views(report):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_the_menu_shows_the_dashboard_to_officers_and_policy(client, officer, employee):
    client.force_login(officer)
    assert reverse("reports:dashboard") in client.get(reverse("reports:list")).content.decode()
    client.force_login(employee)
    assert reverse("reports:dashboard") not in client.get(reverse("signals:mine")).content.decode()


def test_policy_starts_a_draft_from_the_list(client, policy, django_capture_on_commit_callbacks):
    client.force_login(policy)
    year = clock.now().year
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:list"), {"year": year})
    report = Report.objects.get(year=year)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.render_state == RenderState.QUEUED


def test_a_bad_year_is_answered_next_to_the_field(client, policy):
    client.force_login(policy)
    response = client.post(reverse("reports:list"), {"year": "abc"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_the_progress_appears_while_rendering_and_reloads_when_done(client, policy, report):
    client.force_login(policy)
    Report.objects.filter(pk=report.pk).update(render_state=RenderState.RUNNING, progress=55)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="55"' in page
    assert "htmx-2.min.js" in page and "<script>" not in page
    Report.objects.filter(pk=report.pk).update(render_state=RenderState.DONE, progress=100)
    response = client.get(reverse("reports:progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_the_stored_files_are_served_byte_for_byte(client, officer, report):
    client.force_login(officer)
    for fmt in ("html", "pdf", "csv"):
        response = client.get(reverse("reports:file", args=[report.pk, fmt]))
        assert response.content == bytes(ReportFile.objects.get(report=report,
                                                                format=fmt).content)
    pdf = client.get(reverse("reports:file", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    html = client.get(reverse("reports:file", args=[report.pk, "html"]))
    csp = html["Content-Security-Policy"]
    assert "style-src 'sha256-" in csp and "script-src" not in csp
    assert client.get(reverse("reports:file", args=[report.pk, "exe"])).status_code == 404


def test_the_dashboard_shows_exact_counts_to_officers_and_hidden_ones_to_policy(
        client, officer, policy, signal_at):
    now = clock.now()
    for i in range(3):
        signal_at(at(now.year, 1, 2 + i), urgent=True)
    client.force_login(officer)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert '<p class="figure-value">3</p>' in page
    assert "<svg" in page
    client.force_login(policy)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert '<p class="figure-value">&lt;\u00a05</p>' in page
    assert "<svg" not in page  # three signals: every breakdown is withheld


def test_the_dashboard_lists_waiting_reporters_to_officers_only(client, officer, policy,
                                                                 signal_at):
    signal = signal_at(at(clock.now().year, 1, 2), state="feedback_received")
    client.force_login(officer)
    assert signal.reference in client.get(reverse("reports:dashboard")).content.decode()
    client.force_login(policy)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert signal.reference not in page


def test_the_dashboard_never_shows_the_reporter(client, officer, signal_at):
    signal_at(at(clock.now().year, 1, 2), reporter_name="Zqxdashboardreporter",
              state="feedback_received")
    client.force_login(officer)
    assert "Zqxdashboardreporter" not in client.get(reverse("reports:dashboard")).content.decode()


def test_pages_answer_in_a_fixed_number_of_queries(client, officer, policy, signal_at,
                                                   django_assert_max_num_queries):
    year = clock.now().year
    client.force_login(officer)
    for i in range(3):
        signal_at(at(year, 1 + i, 2), team=f"Team {i}", state="feedback_received")
    Report.objects.create(year=year - 1, created_at=clock.now())
    with django_assert_max_num_queries(45) as few:
        client.get(reverse("reports:dashboard"))
        client.get(reverse("reports:list"))
    for i in range(30):
        signal_at(at(year, 1 + i % 12, 2), team=f"Team {i % 7}", state="feedback_received",
                  forms=("labour", "sexual"))
        Report.objects.create(year=year - 2 - i, created_at=clock.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reports:dashboard"))
        client.get(reverse("reports:list"))


def test_detail_page_query_count_does_not_grow(client, policy, report,
                                               django_assert_max_num_queries):
    client.force_login(policy)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
