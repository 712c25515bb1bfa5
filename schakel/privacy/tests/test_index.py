import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_privacy_page_counts_open_work(client, officer, make_user):
    client.force_login(officer)
    html = client.get(reverse("privacy:index")).content.decode()
    assert "0 signalen wachten op uw besluit." in html
    client.force_login(make_user("policy"))
    assert client.get(reverse("privacy:index")).status_code == 404
