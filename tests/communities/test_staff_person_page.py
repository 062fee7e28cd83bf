"""Private stays private for staff too: the staff's person page (and what it says on
deactivation, and the people list's handover list) names only communities the staff member may
see, and counts the others."""

import pytest

from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(staff):
    staff.language = "en"
    staff.save(update_fields=["language"])


@pytest.fixture
def person(community, private_community):
    person = UserFactory(email="pim@example.org", display_name="Pim Person")
    MembershipFactory(user=person, community=community)
    MembershipFactory(user=person, community=private_community)
    secret = CommunityFactory(name="Reorganisatie 2027", visibility="private", join_policy="invite")
    MembershipFactory(user=person, community=secret, role="coordinator")  # leads it alone
    return person


PRIVATE_NAMES = ("Security Champions", "Reorganisatie 2027")


def test_person_page_names_only_communities_the_staff_member_may_see(
    client, staff, english, person
):
    client.force_login(staff)

    response = client.get(f"/organisation/people/{person.pk}/", headers={"accept-language": "en"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Python-gilde: member" in html
    for name in PRIVATE_NAMES:
        assert name not in html
    assert [m.community.name for m in response.context["memberships"].visible] == ["Python-gilde"]
    assert response.context["memberships"].hidden == 2
    assert "And 2 private communities you are not a member of." in html
    assert response.context["handover"].visible == []
    assert "And 1 private community you are not a member of needs one too." in html


def test_person_page_names_private_communities_the_staff_member_belongs_to(
    client, staff, person, private_community
):
    MembershipFactory(user=staff, community=private_community)
    client.force_login(staff)

    response = client.get(f"/organisation/people/{person.pk}/", headers={"accept-language": "nl"})

    html = response.content.decode()
    assert [m.community.name for m in response.context["memberships"].visible] == [
        "Python-gilde",
        "Security Champions",
    ]
    assert "Reorganisatie 2027" not in html
    assert "En 1 besloten community waar je geen lid van bent." in html


def test_person_page_queries_do_not_grow_with_memberships(
    client, staff, person, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(20) as few:
        client.get(f"/organisation/people/{person.pk}/")
    for _n in range(5):
        MembershipFactory(user=person, community=CommunityFactory(visibility="private"))
        MembershipFactory(user=person, community=CommunityFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/organisation/people/{person.pk}/")
    assert response.context["memberships"].hidden == 7


def test_deactivating_names_no_private_community(client, staff, english, person):
    client.force_login(staff)

    response = client.post(
        f"/organisation/people/{person.pk}/deactivate/",
        headers={"accept-language": "en"},
        follow=True,
    )

    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        "Pim Person has been deactivated. Private communities they led alone need a new "
        "coordinator from their members."
    )
    html = response.content.decode()
    for name in PRIVATE_NAMES:
        assert name not in html


def test_people_list_counts_private_communities_without_a_coordinator(
    client, staff, english, person
):
    person.is_active = False
    person.save()
    client.force_login(staff)

    response = client.get("/organisation/people/", headers={"accept-language": "en"})

    html = response.content.decode()
    assert "Reorganisatie 2027" not in html
    assert "And 1 private community you are not a member of needs one too." in html
