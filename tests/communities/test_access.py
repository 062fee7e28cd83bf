"""Who may enter: allowed sign-up domains, verification, approval by staff, leavers,
and the bad input around them: a clear message, nothing changed, never a 500."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due, outbox_deliver_batch, outbox_enqueue
from communities.models import Membership, User
from communities.services.accounts import (
    account_erase,
    user_approve,
    user_deactivate,
    user_decline,
    user_reactivate,
)
from communities.services.organisation import organisation_update
from tests.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    OutboxMessageFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")
NEW_PASSWORD = "Een-lang-wachtwoord-42"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def beheer(db):
    return StaffFactory(email="beheer@kennis.example")


def sign_up(client, email):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def signed_in(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value else None


def confirmation_link() -> str:
    message = OutboxMessage.objects.filter(kind="account").latest("id")
    return CONFIRM_LINK.search(message.body_text).group(1)


# --- allowed sign-up domains ------------------------------------------------------------------


def test_signup_from_a_refused_domain_is_refused_and_creates_nothing(client, english, beheer):
    organisation_update(
        actor=beheer, changes={"allowed_signup_domains": ["kennis.example", "@Gemeente.NL "]}
    )
    users_before = User.objects.count()

    response = sign_up(client, "iemand@gmail.com")

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Sign-up is only open to addresses of this organisation (@gemeente.nl, @kennis.example). "
        "Use your work e-mail address."
    ]
    assert User.objects.count() == users_before
    assert EmailAddress.objects.filter(email="iemand@gmail.com").count() == 0
    assert OutboxMessage.objects.count() == 0


def test_signup_from_an_allowed_domain_is_accepted(client, beheer):
    organisation_update(actor=beheer, changes={"allowed_signup_domains": ["kennis.example"]})

    response = sign_up(client, "Nieuw@Kennis.Example")

    assert (response.status_code, response["Location"]) == (302, "/accounts/confirm-email/")
    assert User.objects.filter(email="nieuw@kennis.example").count() == 1


def test_signup_page_names_the_allowed_domains(client, english, beheer):
    organisation_update(actor=beheer, changes={"allowed_signup_domains": ["kennis.example"]})

    html = client.get("/accounts/signup/").content.decode()

    assert "Sign up with your work e-mail address (@kennis.example)." in html


def test_adding_an_address_from_a_refused_domain_is_refused(client, beheer):
    organisation_update(actor=beheer, changes={"allowed_signup_domains": ["kennis.example"]})
    member = UserFactory(email="mia@kennis.example")
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    response = client.post("/accounts/email/", {"action_add": "", "email": "mia@gmail.com"})

    assert response.status_code == 200
    assert EmailAddress.objects.filter(email="mia@gmail.com").count() == 0


def test_new_account_takes_the_language_it_signed_up_in_and_the_organisation_time_zone(
    client, english, beheer
):
    organisation_update(actor=beheer, changes={"default_timezone": "Europe/Brussels"})

    sign_up(client, "nieuw@kennis.example")

    user = User.objects.get(email="nieuw@kennis.example")
    assert (user.language, user.timezone) == ("en", "Europe/Brussels")
    assert OutboxMessage.objects.get(kind="account").language == "en"


# --- verification ------------------------------------------------------------------------------


def test_expired_verification_link_is_refused_and_verifies_nothing(client, english, time_machine):
    sign_up(client, "nieuw@kennis.example")
    link = confirmation_link()
    time_machine.move_to(timezone.now() + timedelta(days=3, minutes=1))

    page = client.get(link)
    response = client.post(link)

    # The page the mail links to says so (and offers no button); a POST from a page left open
    # is a 404. Either way nothing is verified.
    assert page.status_code == 200
    assert "This email confirmation link expired or is invalid." in page.content.decode()
    assert 'method="post"' not in page.content.decode().split("<main", 1)[1]
    assert response.status_code == 404
    assert EmailAddress.objects.get(email="nieuw@kennis.example").verified is False
    assert signed_in(client) is None
    assert OutboxMessage.objects.filter(kind="welcome").count() == 0


def test_verification_link_within_three_days_still_works(client, time_machine):
    sign_up(client, "nieuw@kennis.example")
    link = confirmation_link()
    time_machine.move_to(timezone.now() + timedelta(days=2, hours=23))

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nieuw@kennis.example").verified is True


def test_tampered_verification_link_is_refused(client):
    sign_up(client, "nieuw@kennis.example")
    link = confirmation_link()
    forged = link[:-6] + ("A" if link[-6] != "A" else "B") + link[-5:]

    assert client.post(forged).status_code == 404
    assert EmailAddress.objects.get(email="nieuw@kennis.example").verified is False


# --- approval by staff ---------------------------------------------------------------------------


def test_signup_with_approval_waits_and_staff_are_told(
    client, beheer, django_capture_on_commit_callbacks
):
    organisation_update(actor=beheer, changes={"signup_requires_approval": True})
    sign_up(client, "nieuw@kennis.example")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirmation_link())

    assert (response.status_code, response["Location"]) == (302, "/signup/pending/")
    assert signed_in(client) is None
    newcomer = User.objects.get(email="nieuw@kennis.example")
    assert newcomer.awaiting_approval is True
    request = OutboxMessage.objects.get(kind="approval_request")
    assert request.to_email == "beheer@kennis.example"
    assert f"/organisation/people/{newcomer.pk}/" in request.body_text
    assert OutboxMessage.objects.filter(kind="welcome").count() == 0
    # Logging in again lands on the same page.
    login = client.post("/accounts/login/", {"login": newcomer.email, "password": NEW_PASSWORD})
    assert (login["Location"], signed_in(client)) == ("/signup/pending/", None)


def test_approved_person_is_told_and_can_log_in(client, beheer):
    newcomer = UserFactory(email="nieuw@kennis.example", awaiting_approval=True)
    client.force_login(beheer)

    response = client.post(f"/organisation/people/{newcomer.pk}/approve/")
    client.post(f"/organisation/people/{newcomer.pk}/approve/")  # twice: one mail

    assert (response.status_code, response["Location"]) == (
        302,
        f"/organisation/people/{newcomer.pk}/",
    )
    newcomer.refresh_from_db()
    assert newcomer.awaiting_approval is False
    assert list(OutboxMessage.objects.values_list("kind", "to_email")) == [
        ("account_approved", "nieuw@kennis.example")
    ]
    client.logout()
    login = client.post("/accounts/login/", {"login": newcomer.email, "password": PASSWORD})
    assert (login["Location"], signed_in(client)) == ("/", newcomer.pk)


def test_declined_signup_is_erased(client, beheer):
    newcomer = UserFactory(email="nieuw@kennis.example", awaiting_approval=True)
    client.force_login(beheer)

    response = client.post(f"/organisation/people/{newcomer.pk}/decline/")

    assert (response.status_code, response["Location"]) == (302, "/organisation/people/")
    assert User.objects.filter(email="nieuw@kennis.example").count() == 0


def test_declining_someone_who_is_already_in_is_refused(beheer):
    member = UserFactory(email="mia@kennis.example")

    with translation.override("en"), pytest.raises(DomainError) as raised:
        user_decline(actor=beheer, user=member)

    assert raised.value.message == "mia@kennis.example is not waiting for approval."
    assert User.objects.filter(pk=member.pk).count() == 1


def test_only_staff_may_approve(db):
    member = UserFactory()
    newcomer = UserFactory(awaiting_approval=True)

    with pytest.raises(DomainError):
        user_approve(actor=member, user=newcomer)

    newcomer.refresh_from_db()
    assert newcomer.awaiting_approval is True


# --- deleting an account twice --------------------------------------------------------------------


def test_deleting_an_account_twice_is_refused_with_a_clear_message(db):
    person = UserFactory(email="weg@kennis.example")
    account_erase(user=person)
    users = User.objects.count()

    with translation.override("en"), pytest.raises(DomainError) as raised:
        account_erase(user=person)

    assert (raised.value.code, raised.value.message) == (
        "already_erased",
        "This account has already been deleted.",
    )
    assert User.objects.count() == users


def test_deleting_an_account_from_two_tabs_does_not_fail(client, db):
    person = UserFactory(email="weg@kennis.example")
    client.force_login(person)
    second_tab = client.session.session_key
    first = client.post("/me/erase/", {"confirm_email": person.email})
    assert (first.status_code, first["Location"]) == (302, "/")

    client.cookies["sessionid"] = second_tab
    second = client.post("/me/erase/", {"confirm_email": person.email})

    assert second.status_code == 302
    assert second["Location"].startswith("/accounts/login/")
    assert User.objects.filter(email="weg@kennis.example").count() == 0


def test_the_last_staff_member_cannot_erase_their_account(db, english):
    only = StaffFactory(email="beheer@kennis.example")

    with translation.override("en"), pytest.raises(DomainError) as raised:
        account_erase(user=only)

    assert raised.value.code == "last_staff"
    assert User.objects.filter(pk=only.pk).count() == 1


# --- leavers -----------------------------------------------------------------------------------


def test_deactivated_person_cannot_log_in_and_their_sessions_end(client, beheer):
    leaver = UserFactory(email="weg@kennis.example")
    other_browser = client.__class__()
    other_browser.force_login(leaver)

    handover = user_deactivate(actor=beheer, user=leaver)

    assert handover == []
    assert other_browser.get("/me/").status_code == 302  # the old session no longer counts
    response = client.post("/accounts/login/", {"login": leaver.email, "password": PASSWORD})
    assert signed_in(client) is None
    assert response.status_code in (200, 302)
    leaver.refresh_from_db()
    assert (leaver.is_active, leaver.deactivated_at is not None) == (False, True)


def test_deactivation_kills_the_feed_token_and_skips_pending_mail(beheer):
    leaver = UserFactory(email="weg@kennis.example", feed_token_hash="a" * 64)
    pending = OutboxMessageFactory(recipient=leaver, to_email=leaver.email)
    to_address = OutboxMessageFactory(to_email="WEG@kennis.example")
    sent = OutboxMessageFactory(
        recipient=leaver, to_email=leaver.email, state="sent", sent_at=timezone.now()
    )
    someone_else = OutboxMessageFactory()

    user_deactivate(actor=beheer, user=leaver)

    leaver.refresh_from_db()
    assert leaver.feed_token_hash == ""
    states = dict(OutboxMessage.objects.values_list("pk", "state"))
    assert states == {
        pending.pk: "skipped",
        to_address.pk: "skipped",
        sent.pk: "sent",
        someone_else.pk: "pending",
    }


def test_mail_to_a_deactivated_person_is_skipped_at_send_time(beheer, mailoutbox):
    leaver = UserFactory(email="weg@kennis.example")
    message = OutboxMessageFactory(recipient=leaver, to_email=leaver.email)
    (token,) = outbox_claim_due()
    User.objects.filter(pk=leaver.pk).update(is_active=False)  # left while the row was claimed

    report = outbox_deliver_batch(lease_token=token)

    assert (report.sent, report.skipped) == ([], [message.pk])
    assert mailoutbox == []
    message.refresh_from_db()
    assert message.state == "skipped"


def test_mail_enqueued_for_a_deactivated_person_is_never_sent(beheer, mailoutbox):
    leaver = UserFactory(email="weg@kennis.example")
    user_deactivate(actor=beheer, user=leaver)
    outbox_enqueue(dedupe_key="late", kind="test", template="welcome", recipient=leaver)

    for token in outbox_claim_due():
        outbox_deliver_batch(lease_token=token)

    assert mailoutbox == []
    assert OutboxMessage.objects.get(dedupe_key="late").state == "skipped"


def test_deactivation_lists_communities_left_without_a_coordinator(client, english, beheer):
    leaver = UserFactory(email="weg@kennis.example", display_name="Wim Weg")
    alone = CommunityFactory(name="Alleen-gilde")
    shared = CommunityFactory(name="Samen-gilde")
    MembershipFactory(user=leaver, community=alone, role=Membership.Role.COORDINATOR)
    MembershipFactory(user=leaver, community=shared, role=Membership.Role.COORDINATOR)
    MembershipFactory(community=shared, role=Membership.Role.COORDINATOR)
    client.force_login(beheer)

    response = client.post(f"/organisation/people/{leaver.pk}/deactivate/", follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Wim Weg has been deactivated. Appoint a new coordinator for: Alleen-gilde."
    ]
    assert [c.name for c in response.context["handover"].visible] == ["Alleen-gilde"]
    people = client.get("/organisation/people/")
    assert [c.name for c in people.context["handover"].visible] == ["Alleen-gilde"]


def test_deactivating_yourself_as_the_last_staff_member_is_refused(client, english, beheer):
    client.force_login(beheer)

    response = client.post(f"/organisation/people/{beheer.pk}/deactivate/", follow=True)

    assert response.redirect_chain == [(f"/organisation/people/{beheer.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Person 0 is the last active staff member: make someone else staff first.".replace(
            "Person 0", beheer.name
        )
    ]
    beheer.refresh_from_db()
    assert beheer.is_active is True
    assert beheer.deactivated_at is None


def test_deactivating_yourself_with_another_staff_member_left_is_allowed(client, beheer):
    StaffFactory(email="collega@kennis.example")
    client.force_login(beheer)

    response = client.post(f"/organisation/people/{beheer.pk}/deactivate/")

    assert (response.status_code, response["Location"]) == (302, "/")
    beheer.refresh_from_db()
    assert beheer.is_active is False
    assert client.get("/organisation/").status_code == 302  # logged out: to the login page


def test_deactivate_is_idempotent_and_reactivate_lets_them_in_again(client, beheer):
    leaver = UserFactory(email="weg@kennis.example")
    user_deactivate(actor=beheer, user=leaver)
    first = User.objects.get(pk=leaver.pk).deactivated_at

    user_deactivate(actor=beheer, user=leaver)
    assert User.objects.get(pk=leaver.pk).deactivated_at == first

    user_reactivate(actor=beheer, user=leaver)
    leaver.refresh_from_db()
    assert (leaver.is_active, leaver.deactivated_at) == (True, None)
    response = client.post("/accounts/login/", {"login": leaver.email, "password": PASSWORD})
    assert (response["Location"], signed_in(client)) == ("/", leaver.pk)


def test_only_staff_may_deactivate(db):
    member = UserFactory()
    other = UserFactory()

    with pytest.raises(DomainError):
        user_deactivate(actor=member, user=other)

    other.refresh_from_db()
    assert other.is_active is True


def test_person_pages_are_404_for_non_staff_and_unknown_people(client, beheer):
    member = UserFactory()
    client.force_login(member)
    assert client.get(f"/organisation/people/{beheer.pk}/").status_code == 404
    assert client.post(f"/organisation/people/{beheer.pk}/deactivate/").status_code == 404
    client.force_login(beheer)
    assert client.post("/organisation/people/424242/deactivate/").status_code == 404
    beheer.refresh_from_db()
    assert beheer.is_active is True


def test_deactivate_people_command_for_offboarding_scripts(beheer, capsys):

    leaver = UserFactory(email="weg@kennis.example")
    MembershipFactory(
        user=leaver, community=CommunityFactory(name="Alleen-gilde"), role="coordinator"
    )

    call_command("deactivate_people", "WEG@kennis.example", by=beheer.email)

    assert capsys.readouterr().out == (
        "weg@kennis.example: deactivated; needs a new coordinator: Alleen-gilde\n"
    )
    leaver.refresh_from_db()
    assert leaver.is_active is False
    with pytest.raises(CommandError):
        call_command("deactivate_people", "niemand@kennis.example", by=beheer.email)
    with pytest.raises(CommandError):
        call_command("deactivate_people", "weg@kennis.example", by="weg@kennis.example")
