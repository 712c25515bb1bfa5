"""Enrichment without candidates says what to do next (issue 14)."""

import pytest
from django.urls import reverse

from schakel.signals.actions import SubjectData


@pytest.mark.django_db
def test_no_candidates_points_to_the_search_and_the_data_sets(client, make_signal, employee,
                                                              officer):
    signal = make_signal(employee, steps=("receive",), officer=officer, subjects=[
        SubjectData(kind="person", values={"name": "Qwxz Onvindbaar", "capacity": "victim"})])
    client.force_login(officer)
    html = client.get(reverse("subjects:enrichment", args=[signal.pk])).content.decode()
    assert "Geen overeenkomst." in html and "Volgende stap" in html
    assert "Zoeken met andere gegevens" in html  # the search box of this subject
    assert f'href="{reverse("subjects:sources")}"' in html
