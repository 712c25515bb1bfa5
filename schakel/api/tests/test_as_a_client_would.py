"""A script as a client would write it: make a token, file a signal, take it through the
route, read its history."""

import datetime as dt

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _token_from_the_page(user) -> str:
    browser = Client()
    browser.force_login(user)
    from schakel.core import clock

    day = (clock.now().date() + dt.timedelta(days=30)).isoformat()
    page = browser.post("/account/tokens/", {"name": "script", "scope": "write",
                                             "expires_on": day}, follow=True)
    return page.context["secret"]


def test_a_signal_through_the_whole_route_by_api(employee, officer):
    from schakel.partners.models import Partner
    from schakel.partners.seed import load_defaults

    load_defaults()
    reporter = Client(headers={"Authorization": f"Bearer {_token_from_the_page(employee)}"})
    desk = Client(headers={"Authorization": f"Bearer {_token_from_the_page(officer)}"})

    filed = reporter.post("/api/v1/signals/", {
        "forms": ["labour"], "background": "Tien mensen in een schuur.",
        "team_lead_consulted": False,
        "subjects": [{"kind": "person", "name": "A. Slachtoffer", "capacity": "victim"}],
    }, content_type="application/json", headers={"Idempotency-Key": "run-1"}).json()
    url = f"/api/v1/signals/{filed['id']}/"

    def step(name, **fields):
        etag = desk.get(url)["ETag"]
        response = desk.post(url + "transitions/", {"name": name, **fields},
                             content_type="application/json", headers={"If-Match": etag})
        assert response.status_code == 200, response.content
        return response.json()

    from django.core.files.uploadedfile import SimpleUploadedFile

    from schakel.signals.tests.test_attachments import PNG

    photo = SimpleUploadedFile("schuur.png", PNG, content_type="image/png")
    added = reporter.post(url + "attachments/", {"files": [photo]})
    assert added.status_code == 201, added.content
    assert step("receive")["state"] == "received"
    files = desk.get(url + "attachments/").json()["results"]
    assert desk.get(url + f"attachments/{files[0]['id']}/").content == PNG
    address = desk.post(url + "subjects/", {"kind": "address", "street": "Dorpsstraat",
                                            "house_number": "4", "capacity": "landlord"},
                        content_type="application/json")
    assert address.status_code == 201, address.content
    care = Partner.objects.get(is_care_coordinator=True, active=True)
    referred = desk.post(url + "referrals/", {"referrals": [{"partner": care.pk,
                                                             "parts": ["forms"]}]},
                         content_type="application/json")
    referral = referred.json()["results"][0]
    desk.post(f"/api/v1/referrals/{referral['id']}/feedback/",
              {"outcome": "care", "channel": "phone", "text": "Opgevangen."},
              content_type="application/json")
    assert desk.get(url).json()["state"] == "feedback_received"
    step("inform_reporter", message_for_reporter="Er is hulp geregeld. Dank u.")
    closed = step("close", outcome="referred")
    assert closed["state"] == "closed"

    history = [(e["transition"], e["to_state"]) for e in closed["events"]
               if e["kind"] == "transition"]
    assert history == [("submit", "submitted"), ("receive", "received"),
                       ("refer", "referred"), ("settle", "feedback_received"),
                       ("inform_reporter", "reporter_informed"), ("close", "closed")]
    seen_by_reporter = reporter.get(url).json()
    assert seen_by_reporter["message_for_reporter"] == "Er is hulp geregeld. Dank u."
    assert "reporter" not in seen_by_reporter and "dismiss_reason" not in seen_by_reporter
