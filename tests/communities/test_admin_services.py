"""The admin goes through the services: a session, an answer or a membership cannot be changed
behind their back (moving a session there used to send no calendar update); the actions call
the same services as the pages, with the same checks."""

from datetime import timedelta

import pytest
from django.urls import reverse

from communities.models import Membership, OutboxMessage
from events.models import Rsvp, Session
from events.sessions.services.rsvp import rsvp_set
from tests.factories import MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    client.cookies["kp_language"] = "en"
    return client


@pytest.fixture
def session_with_guest(db):
    session = SessionFactory(community=None, capacity=1)
    guest = UserFactory(email="guest@example.org")
    rsvp_set(session_id=session.pk, user=guest, status="going")
    return session, guest


def test_moving_a_session_in_the_admin_is_refused_and_changes_nothing(
    admin_client, session_with_guest
):
    session, _guest = session_with_guest
    start, mails = session.start, OutboxMessage.objects.count()
    url = reverse("admin:events_session_change", args=[session.pk])
    page = admin_client.get(url)
    response = admin_client.post(
        url,
        {
            "title": session.title,
            "start_0": (start + timedelta(hours=2)).date().isoformat(),
            "start_1": (start + timedelta(hours=2)).strftime("%H:%M:%S"),
        },
    )
    session.refresh_from_db()
    assert page.status_code == 200  # staff see it, read-only
    assert b'name="title"' not in page.content
    assert response.status_code == 403
    assert session.start == start
    assert OutboxMessage.objects.count() == mails


def test_the_cancel_action_cancels_through_the_service_and_tells_the_guests(
    admin_client, session_with_guest
):
    session, guest = session_with_guest
    response = admin_client.post(
        reverse("admin:events_session_changelist"),
        {"action": "cancel", "_selected_action": [session.pk]},
        follow=True,
    )
    session.refresh_from_db()
    assert response.status_code == 200
    assert session.state == Session.State.CANCELLED
    assert [str(m) for m in response.context["messages"]] == ["1 cancelled."]
    cancel = OutboxMessage.objects.filter(recipient=guest, calendar_method="CANCEL")
    assert cancel.count() == 1


def test_taking_someone_off_the_list_promotes_the_waitlist(admin_client, session_with_guest):
    session, guest = session_with_guest
    waiting = UserFactory(email="waiting@example.org")
    rsvp_set(session_id=session.pk, user=waiting, status="going")
    first = Rsvp.objects.get(session=session, user=guest)
    assert Rsvp.objects.get(user=waiting).status == "waitlisted"

    admin_client.post(
        reverse("admin:events_rsvp_changelist"),
        {"action": "remove", "_selected_action": [first.pk]},
    )

    statuses = dict(Rsvp.objects.filter(session=session).values_list("user__email", "status"))
    assert statuses == {"guest@example.org": "declined", "waiting@example.org": "going"}
    assert OutboxMessage.objects.filter(recipient=waiting, calendar_method="REQUEST").exists()


def test_a_membership_cannot_be_edited_in_the_admin(admin_client, community, member):
    membership = MembershipFactory(user=member, community=community)
    url = reverse("admin:communities_membership_change", args=[membership.pk])
    response = admin_client.post(url, {"role": "coordinator", "state": "active"})
    membership.refresh_from_db()
    assert response.status_code == 403
    assert membership.role == Membership.Role.MEMBER
    page = admin_client.get(reverse("admin:communities_community_change", args=[community.pk]))
    assert b'name="memberships-0-role"' not in page.content
