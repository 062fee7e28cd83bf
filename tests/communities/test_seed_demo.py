"""seed_demo: a realistic demo organisation, idempotent, only with DEBUG on."""

import pytest
from django.core.management import CommandError, call_command

from communities.models import Community, Membership, User
from events.models import Rsvp, Session

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        Community.objects.count(),
        Membership.objects.count(),
        Session.objects.count(),
        Rsvp.objects.count(),
    )


def test_seed_demo_creates_the_demo_organisation_once(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first == (9, 7, 23, 10, 9)
    kinds = set(Community.objects.values_list("kind", flat=True))
    assert kinds == {"community_of_practice", "guild", "intervision_group"}
    assert set(Community.objects.values_list("visibility", flat=True)) == {"public", "private"}
    assert Session.objects.filter(start__lt=Session.objects.order_by("start").last().start).exists()
    assert User.objects.get(email="beheer@kennisplein.test").is_staff is True
    sanne = User.objects.get(email="sanne@kennisplein.test")
    assert sanne.check_password("kennisplein-demo")
    assert sanne.emailaddress_set.get().verified is True
    output = capsys.readouterr().out
    assert "sanne@kennisplein.test / kennisplein-demo" in output


def test_seed_demo_has_past_and_upcoming_sessions(settings):
    from django.utils import timezone

    settings.DEBUG = True
    call_command("seed_demo")
    now = timezone.now()
    assert Session.objects.filter(end__lt=now).count() == 1
    assert Session.objects.filter(start__gt=now).count() == 9


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0, 0)
