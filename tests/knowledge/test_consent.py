"""Consent: a person who did not opt in never appears in "wie weet wat", the global search or
on a profile page; evidence shows only when the person allowed it; there is no ranking."""

import pytest
from django.utils import timezone

from knowledge.services.expertise import expertise_set
from tests.factories import SessionFactory, UserFactory
from tests.knowledge.helpers import opt_in

pytestmark = pytest.mark.django_db


def names_on(client, path: str) -> str:
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_person_who_did_not_opt_in_never_appears(client, member):
    quiet = UserFactory(email="quiet@example.org", display_name="Quinten Quiet")
    # Topics saved, but not listed: still nobody sees them.
    expertise_set(
        user=quiet, topics="Omgevingswet", listed=False, show_evidence=True,
        route_questions=True, mail_questions=False,
    )  # fmt: skip
    listed = UserFactory(email="listed@example.org", display_name="Lotte Listed")
    opt_in(listed, "Omgevingswet")
    client.force_login(member)

    for path in ("/experts/?q=Omgevingswet", "/search/?q=Omgevingswet", "/search/?q=Quinten"):
        page = names_on(client, path)
        assert "Quinten Quiet" not in page
    assert "Lotte Listed" in names_on(client, "/experts/?q=Omgevingswet")
    assert client.get(f"/experts/{quiet.pk}/").status_code == 404
    assert client.get(f"/experts/{listed.pk}/").status_code == 200


def test_opting_out_removes_a_person_at_once(client, member):
    listed = UserFactory(display_name="Lotte Listed")
    opt_in(listed, "pytest")
    client.force_login(member)
    assert "Lotte Listed" in names_on(client, "/experts/?q=pytest")

    client.force_login(listed)
    response = client.post("/me/expertise/", {"topics": "pytest", "route_questions": "on"})
    assert response.status_code == 302

    client.force_login(member)
    assert "Lotte Listed" not in names_on(client, "/experts/?q=pytest")
    assert client.get(f"/experts/{listed.pk}/").status_code == 404


def test_evidence_only_with_consent_and_never_a_score(client, member, community):
    shows = UserFactory(display_name="Anna Shows")
    hides = UserFactory(display_name="Bram Hides")
    opt_in(shows, "pytest", evidence=True)
    opt_in(hides, "pytest", evidence=False)
    past = timezone.now() - timezone.timedelta(days=2)
    for person in (shows, hides):
        for _ in range(3):
            session = SessionFactory(
                community=community, title="pytest voor gevorderden", start=past,
                end=past + timezone.timedelta(hours=1),
            )  # fmt: skip
            session.hosts.set([person])
    client.force_login(member)
    page = names_on(client, "/experts/?q=pytest")
    assert page.count("gaf 3 sessies over pytest") == 1
    anna, bram = page.index("Anna Shows"), page.index("Bram Hides")
    # Alphabetical, not by evidence.
    assert anna < bram


def test_expertise_page_saves_topics_and_choices(client, member):
    client.force_login(member)
    response = client.post(
        "/me/expertise/",
        {
            "topics": "Omgevingswet, pytest, omgevingswet",
            "listed": "on",
            "show_evidence": "on",
            "route_questions": "on",
            "mail_questions": "on",
        },
    )
    assert response.status_code == 302
    profile = member.expertise_profile
    assert (profile.listed, profile.show_evidence, profile.mail_questions) == (True, True, True)
    assert sorted(member.expertise_topics.values_list("name", flat=True)) == [
        "Omgevingswet",
        "pytest",
    ]
    page = client.get("/me/expertise/").content.decode()
    assert 'value="Omgevingswet, pytest"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=a%00b",
        "/questions/?q=%00",
        "/questions/new/?title=%00",
        "/wishes/?community=%00",
        "/experts/?q=%00",
        "/questions/?page=-1",
        "/notifications/?page=x",
    ],
)
def test_odd_input_gets_a_page_not_an_error(client, member, path):
    client.force_login(member)
    assert client.get(path).status_code in (200, 400)
