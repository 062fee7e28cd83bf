"""seed_demo's intervision group: six members, a method per session, past presenters, a case
submitted for the next session; running it twice changes nothing."""

import pytest
from django.core.management import call_command

from intervision.models import Case, IntervisionSession
from intervision.selectors import proposed_presenters

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_an_intervision_group(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    sessions = IntervisionSession.objects.select_related("presenter", "method").order_by(
        "session__start"
    )
    assert [(s.state, s.presenter.name, s.method.code) for s in sessions] == [
        ("closed", "Emma Peeters", "incidentmethode"),
        ("closed", "Anouk Visser", "kollegiale-beratung"),
        ("closed", "Lotte Bakker", "roddelmethode"),
        ("scheduled", "Youssef Haddou", "incidentmethode"),
    ]
    group = sessions[0].group
    assert group.memberships.filter(state="active").count() == 6
    case = Case.objects.get()
    assert (case.isession, case.presenter.name) == (sessions[3], "Youssef Haddou")
    # Never presented: Fatima and Sanne come first, then the least recent presenters.
    assert [p.name for p in proposed_presenters(group)] == [
        "Fatima El Amrani",
        "Sanne de Vries",
        "Emma Peeters",
    ]
