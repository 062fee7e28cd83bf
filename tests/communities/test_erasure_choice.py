"""Deleting my account asks what happens to the takeaways I shared: kept for the others without
my name, or deleted with me. Private ones always go; nobody is asked who shared nothing."""

import pytest

from communities.models import User
from events.models import Takeaway
from tests.factories import SessionFactory, TakeawayFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTION = b'name="shared_takeaways"'


@pytest.fixture
def writer(community):
    person = UserFactory(email="schrijver@example.org", language="en")
    session = SessionFactory(community=community)
    for visibility in ("private", "community", "organisation"):
        TakeawayFactory(
            session=session, author=person, owner=person, visibility=visibility, title=visibility
        )
    TakeawayFactory(session=session, visibility="organisation", title="someone else's")
    return person


def erase(client, person, **answers):
    client.force_login(person)
    client.cookies["kp_language"] = "en"
    return client.post("/me/erase/", {"confirm_email": person.email, **answers})


def test_the_me_page_asks_about_shared_takeaways(client, writer):
    client.force_login(writer)
    page = client.get("/me/").content
    assert QUESTION in page
    assert b"Keep them for the others, without my name" in page
    assert b"Delete them too" in page


def test_keep_leaves_the_shared_ones_without_an_author(client, writer):
    response = erase(client, writer, shared_takeaways="keep")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert not User.objects.filter(email="schrijver@example.org").exists()
    kept = Takeaway.objects.filter(title__in=["community", "organisation"])
    assert sorted(kept.values_list("title", "author", "owner")) == [
        ("community", None, None),
        ("organisation", None, None),
    ]
    assert not Takeaway.objects.filter(title="private").exists()


def test_delete_deletes_the_shared_ones_too(client, writer):
    response = erase(client, writer, shared_takeaways="delete")
    assert response.status_code == 302
    assert list(Takeaway.objects.values_list("title", flat=True)) == ["someone else's"]


@pytest.mark.parametrize("answers", [{}, {"shared_takeaways": "maybe"}])
def test_without_a_valid_answer_nothing_is_erased(client, writer, answers):
    response = erase(client, writer, **answers)
    assert response.status_code == 400
    assert User.objects.filter(pk=writer.pk).exists()
    assert Takeaway.objects.filter(author=writer).count() == 3


def test_someone_who_shared_nothing_is_not_asked(client, member):
    client.force_login(member)
    assert QUESTION not in client.get("/me/").content
    response = erase(client, member)
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
