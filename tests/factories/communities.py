"""Factories for the communities app: people, topics, communities, memberships and their history,
invitations and the outbox."""

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone

from communities.mail.models import OutboxMessage
from communities.models import Community, Invitation, Membership, MembershipEvent, Topic, User
from communities.services.invitations import INVITATION_VALIDITY

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    language = "nl"
    timezone = "Europe/Amsterdam"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary address, as allauth's mandatory verification requires."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


# Base32 TOTP secret of every factory-made staff member (compute codes with totp_code()).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, *, at: float | None = None) -> str:
    """The authenticator app's code for ``secret`` now (or at the Unix time ``at``)."""

    return format_hotp_value(hotp_value(secret, int(time.time() if at is None else at) // 30))


class StaffFactory(UserFactory):
    """Staff must use MFA: they come with an authenticator app (TOTP_SECRET) unless
    ``mfa=False``."""

    is_staff = True
    is_superuser = True

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(obj, TOTP_SECRET)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    kind = Community.Kind.COMMUNITY_OF_PRACTICE
    visibility = Community.Visibility.PUBLIC
    join_policy = Community.JoinPolicy.OPEN
    purpose = "Learning together"


class IntervisionGroupFactory(CommunityFactory):
    """An intervision group: always private and invite only (a check constraint). No group
    settings, methods or agreement: the intervision services make those."""

    kind = Community.Kind.INTERVISION_GROUP
    visibility = Community.Visibility.PRIVATE
    join_policy = Community.JoinPolicy.INVITE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Membership.Role.MEMBER
    state = Membership.State.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)


class MembershipEventFactory(factory.django.DjangoModelFactory):
    """One line of a membership's history; it records the membership's role, as the services
    do. No actor unless given."""

    class Meta:
        model = MembershipEvent

    membership = factory.SubFactory(MembershipFactory)
    kind = MembershipEvent.Kind.JOINED
    role = factory.SelfAttribute("membership.role")


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation, valid as long as the app's. ``token_hash`` is a placeholder, not the
    SHA-256 of a token: use ``invitation_create`` when a test follows the link in the mail."""

    class Meta:
        model = Invitation

    community = factory.SubFactory(CommunityFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + INVITATION_VALIDITY)


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    kind = "test"
    to_email = factory.Sequence(lambda n: f"recipient{n}@example.org")
    language = "nl"
    subject = factory.Sequence(lambda n: f"Message {n}")
    body_text = "Hello"
    body_html = "<p>Hello</p>"
    message_id = factory.Sequence(lambda n: f"<test-{n}@kennisplein.test>")
    due_at = factory.LazyFunction(timezone.now)
