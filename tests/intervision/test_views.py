"""The intervision pages through HTTP: every page renders for members, the console runs a
session, a stale device is told to refresh, outsiders get 404, the exports hold the history."""

import contextlib
import csv
import io
import re
import zlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Session
from intervision.models import AgreementAcceptance, Case, IntervisionSession, LiveItem, Method
from intervision.services.cases import case_submit
from intervision.services.closing import intervision_session_close
from intervision.services.live import attendance_set, live_item_add
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_session(group):
    isession = group.schedule(days=0.01)
    case_submit(
        group=group.community,
        user=group.members[2],
        title="Grenzen",
        question="Hoe stel ik grenzen?",
        pitch="Kort verhaal.",
        urgency=4,
        no_client_data=True,
        isession=isession,
    )
    return isession


def pages(group, isession):
    slug, pk = group.community.slug, isession.session_id
    method = Method.objects.get(code="incidentmethode")
    return [
        "/intervision/",
        "/intervision/history/",
        f"/intervision/groups/{slug}/",
        f"/intervision/groups/{slug}/agreement/",
        f"/intervision/groups/{slug}/cases/new/",
        f"/intervision/groups/{slug}/methods/{method.pk}/",
        f"/intervision/sessions/{pk}/",
        f"/intervision/sessions/{pk}/follow/",
        f"/intervision/sessions/{pk}/live/",
    ]


def lead_pages(group, isession):
    slug, pk = group.community.slug, isession.session_id
    return [
        f"/intervision/groups/{slug}/settings/",
        f"/intervision/groups/{slug}/schedule/",
        f"/intervision/sessions/{pk}/console/",
    ]


def test_every_page_renders_for_members_and_404s_for_outsiders(client, group, live_session):
    outsider = UserFactory()
    for url in pages(group, live_session) + lead_pages(group, live_session):
        client.force_login(group.facilitator)
        assert client.get(url).status_code == 200, url
        client.force_login(outsider)
        expected = 200 if url in ("/intervision/", "/intervision/history/") else 404
        assert client.get(url).status_code == expected, url
    client.force_login(group.members[1])
    for url in pages(group, live_session):
        assert client.get(url).status_code == 200, url
    for url in lead_pages(group, live_session):
        assert client.get(url).status_code == 404, url


def post_control(client, isession, action, version, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        f"/intervision/sessions/{isession.session_id}/control/",
        {"action": action, "version": version},
        **headers,
    )


def test_facilitator_runs_the_console_and_a_stale_device_is_told_to_refresh(
    client, group, live_session
):
    client.force_login(group.facilitator)
    response = post_control(client, live_session, "start", 0, htmx=True)
    assert response.status_code == 200
    assert 'id="countdown"' in response.text and 'value="1"' in response.text
    # A second device still showing version 0 presses "next": refused, shown the new state.
    response = post_control(client, live_session, "next", 0, htmx=True)
    assert "de pagina is ververst, probeer het opnieuw" in response.text
    assert 'id="live-error"' in response.text
    assert 'value="1"' in response.text
    live_session.refresh_from_db()
    assert (live_session.current, live_session.version) == (0, 1)
    response = post_control(client, live_session, "next", 1)
    assert response.status_code == 302
    live_session.refresh_from_db()
    assert (live_session.current, live_session.version) == (1, 2)


def test_participant_follows_and_adds_a_question(client, group, live_session):
    client.force_login(group.facilitator)
    post_control(client, live_session, "start", 0)
    member = group.members[1]
    client.force_login(member)
    page = client.get(f"/intervision/sessions/{live_session.session_id}/follow/")
    first_phase = live_session.method.phases.first()
    assert first_phase.name_nl in page.text
    response = client.post(
        f"/intervision/sessions/{live_session.session_id}/items/",
        {"kind": "question", "text": "Wat deed je toen?", "keep": ""},
    )
    assert response.status_code == 302
    assert [(i.author_id, i.kind, i.text) for i in LiveItem.objects.all()] == [
        (member.pk, "question", "Wat deed je toen?")
    ]


def test_member_without_agreement_is_sent_to_accept_it(client, group, live_session):

    member = group.members[1]
    AgreementAcceptance.objects.filter(user=member).delete()
    client.force_login(member)
    response = client.get(f"/intervision/sessions/{live_session.session_id}/follow/")
    assert response["Location"] == f"/intervision/groups/{group.community.slug}/agreement/"
    client.post(f"/intervision/groups/{group.community.slug}/agreement/")
    assert AgreementAcceptance.objects.filter(user=member).count() == 1


def test_live_fragment_has_a_constant_number_of_queries(
    client, group, live_session, django_assert_max_num_queries
):
    client.force_login(group.facilitator)
    post_control(client, live_session, "start", 0)
    client.force_login(group.members[1])
    url = f"/intervision/sessions/{live_session.session_id}/live/"
    client.get(url)
    with django_assert_max_num_queries(16):
        client.get(url)
    for text in ("a", "b", "c"):
        live_item_add(
            isession=IntervisionSession.objects.get(pk=live_session.pk),
            author=group.members[3],
            kind="question",
            text=text,
        )
    with django_assert_max_num_queries(16):
        client.get(url)


def test_bad_case_form_answers_400_and_stores_nothing(client, group, live_session):
    client.force_login(group.members[1])
    response = client.post(
        f"/intervision/groups/{group.community.slug}/cases/new/",
        {
            "title": "T",
            "question": "Hoe doe ik dat?",
            "pitch": "Een. Twee. Drie. Vier.",
            "urgency": "3",
            "no_client_data": "on",
        },
    )
    assert response.status_code == 400
    assert "Pitch de casus in hooguit drie zinnen." in response.text
    assert Case.objects.filter(presenter=group.members[1]).count() == 0


def test_schedule_through_the_form(client, group):
    client.force_login(group.facilitator)
    day = timezone.localdate() + timedelta(days=20)
    method = Method.objects.get(code="roddelmethode")
    response = client.post(
        f"/intervision/groups/{group.community.slug}/schedule/",
        {
            "date": day.isoformat(),
            "start_time": "13:30",
            "minutes": "90",
            "location": "Kamer 2",
            "method": method.pk,
        },
    )
    assert response.status_code == 302
    isession = IntervisionSession.objects.get()
    assert (isession.method, isession.presenter, isession.facilitator) == (
        method,
        group.members[0],
        group.facilitator,
    )
    assert isession.session.format == "intervision"


def test_history_and_attendance_exports(client, group, live_session):
    client.force_login(group.facilitator)
    post_control(client, live_session, "start", 0)
    attendance_set(
        isession=live_session,
        actor=group.facilitator,
        present_ids={m.pk for m in group.members[:5]},
    )
    client.post(f"/intervision/sessions/{live_session.session_id}/close/", {"theme": ""})
    date = timezone.localtime(live_session.session.start).date().isoformat()
    client.force_login(group.members[2])
    rows = list(csv.reader(io.StringIO(client.get("/intervision/history.csv").text)))
    assert rows[1:] == [
        [date, "2.0", "Kollegiale Beratung (Tietze)", "Intervisie Zorg", "deelnemer"]
    ]
    client.force_login(group.facilitator)
    response = client.get(f"/intervision/groups/{group.community.slug}/attendance.csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 7
    assert sorted(r[4] for r in rows[1:]) == ["ja"] * 5 + ["nee"]


def test_history_pdf_lists_the_sessions(client, group, live_session):
    client.force_login(group.facilitator)
    post_control(client, live_session, "start", 0)
    client.post(f"/intervision/sessions/{live_session.session_id}/close/", {"theme": ""})
    client.force_login(group.members[2])
    response = client.get("/intervision/history.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.")
    text = _pdf_text(response.content)
    assert "Kollegiale Beratung (Tietze)" in text
    assert "Voor beroepsregisters: 2.0 uur in totaal." in text


def _pdf_text(content: bytes) -> str:
    """The text an fpdf2 PDF draws (its page streams are deflated)."""

    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        with contextlib.suppress(zlib.error):
            stream = zlib.decompress(stream)
        chunks += [m.decode("latin-1") for m in re.findall(rb"\((.*?)(?<!\\)\) ?Tj", stream)]
    return " ".join(chunks).replace("\\(", "(").replace("\\)", ")")


def test_poll_with_the_current_version_answers_204(client, group, live_session):
    client.force_login(group.facilitator)
    post_control(client, live_session, "start", 0)
    url = f"/intervision/sessions/{live_session.session_id}/live/"
    assert client.get(url, {"v": "1"}).status_code == 204
    changed = client.get(url, {"v": "0", "console": "1"})
    assert changed.status_code == 200
    assert f'hx-get="{url}?v=1&amp;console=1"' in changed.text


@pytest.mark.parametrize(
    "data",
    [
        {"action": "turn", "version": "1"},
        {"action": "turn", "version": "1", "person": "abc"},
        {"action": "explode", "version": "1"},
        {"action": "next", "version": "not-a-number"},
        {},
    ],
)
def test_bad_control_input_changes_nothing(client, group, live_session, data):
    client.force_login(group.facilitator)
    post_control(client, live_session, "start", 0)
    response = client.post(f"/intervision/sessions/{live_session.session_id}/control/", data)
    assert response.status_code == 302
    live_session.refresh_from_db()
    assert (live_session.version, live_session.current) == (1, 0)


def test_group_page_queries_do_not_grow_with_history(client, group):

    def page_queries():
        client.force_login(group.members[1])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/intervision/groups/{group.community.slug}/").status_code == 200
        return len(captured)

    def held(days_ago: int) -> None:
        isession = group.schedule(days=1)
        intervision_session_close(isession_id=isession.pk, actor=group.facilitator)
        start = timezone.now() - timedelta(days=days_ago)
        Session.objects.filter(pk=isession.session_id).update(
            start=start, end=start + timedelta(hours=2)
        )

    held(10)
    group.schedule(days=30)
    one = page_queries()
    for days_ago in (20, 30, 40):
        held(days_ago)
    group.schedule(days=60)
    group.schedule(days=90)
    assert page_queries() == one
    assert len(client.get(f"/intervision/groups/{group.community.slug}/").context["past"]) == 4
