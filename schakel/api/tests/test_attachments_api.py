"""A signal's attachments through the API: the page's rules on who sees and adds what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schakel.audit.models import AuditEvent
from schakel.signals import attachments
from schakel.signals.access import Access
from schakel.signals.models import SignalAttachment
from schakel.signals.tests.test_attachments import FILE_NAME, PNG

pytestmark = pytest.mark.django_db


def upload(name=FILE_NAME, content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def path(signal, attachment=None):
    base = f"/api/v1/signals/{signal.pk}/attachments/"
    return base + (f"{attachment.pk}/" if attachment else "")


@pytest.fixture
def submitted(employee, make_signal):
    return make_signal(employee)


@pytest.fixture
def received(employee, officer, make_signal):
    return make_signal(employee, steps=["receive"], officer=officer)


def test_the_reporter_adds_a_file_and_reads_it_back(api, employee, submitted):
    client = api(employee)
    response = client.post(path(submitted), {"files": [upload()]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["results"][0]["name"] == FILE_NAME and body["results"][0]["removable"]
    listed = client.get(path(submitted)).json()
    assert [a["name"] for a in listed["results"]] == [FILE_NAME] and listed["may_add"]
    attachment = SignalAttachment.objects.get(signal=submitted)
    download = client.get(path(submitted, attachment), headers={"Accept": "image/png"})
    assert download.status_code == 200 and download.content == PNG
    assert download["Content-Type"] == "image/png"
    assert FILE_NAME in download["Content-Disposition"]


def test_a_download_is_in_the_processing_log(api, officer, employee, received):
    attachment = attachments.attachments_add(signal=received, actor=officer, level=Access.FULL,
                                             files=[(upload(), "image/png")])[0]
    api(officer).get(path(received, attachment))
    reads = AuditEvent.objects.filter(actor=officer, action="read", object_id=str(received.pk),
                                      changes__attachment=attachment.pk)
    assert reads.count() == 1


def test_a_file_that_is_not_what_it_says_is_refused(api, employee, submitted):
    fake = SimpleUploadedFile("brief.pdf", b"<html><script>x</script></html>",
                              content_type="application/pdf")
    response = api(employee).post(path(submitted), {"files": [fake]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "files"
    assert not SignalAttachment.objects.exists()


def test_the_officer_sees_every_file_the_reporter_only_their_own(api, employee, officer,
                                                                 received):
    theirs = attachments.attachments_add(signal=received, actor=officer, level=Access.FULL,
                                         files=[(upload("officer.png"), "image/png")])[0]
    assert len(api(officer).get(path(received)).json()["results"]) == 1
    assert api(employee).get(path(received)).json()["results"] == []
    assert api(employee).get(path(received, theirs)).status_code == 404


def test_others_get_the_same_404_as_for_a_signal_that_does_not_exist(
        api, received, officer, team_lead, colleague, policy, admin_user):
    attachment = attachments.attachments_add(signal=received, actor=officer, level=Access.FULL,
                                             files=[(upload(), "image/png")])[0]
    for user in (team_lead, colleague, policy, admin_user):
        client = api(user)
        for url in (path(received), path(received, attachment)):
            response = client.get(url)
            assert response.status_code == 404, (user.role, url)
            assert response.json()["detail"] == client.get(
                "/api/v1/signals/999999/attachments/").json()["detail"]
        assert client.post(path(received), {"files": [upload()]}).status_code == 404
    assert SignalAttachment.objects.count() == 1


def test_the_reporter_adds_nothing_after_receipt_and_gets_409(api, employee, received):
    response = api(employee).post(path(received), {"files": [upload()]})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"


def test_the_reporter_takes_back_a_file_until_receipt(api, employee, submitted):
    client = api(employee)
    client.post(path(submitted), {"files": [upload()]})
    attachment = SignalAttachment.objects.get(signal=submitted)
    assert client.delete(path(submitted, attachment)).status_code == 204
    assert not SignalAttachment.objects.exists()


def test_a_read_token_downloads_but_adds_nothing(api, employee, submitted):
    response = api(employee, scope="read").post(path(submitted), {"files": [upload()]})
    assert response.status_code == 403
