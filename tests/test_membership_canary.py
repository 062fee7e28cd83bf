"""The canary, applied to membership: a member who leaves a private community gets, after the
CANCELs of what was in their calendar, no mail mentioning any of its sessions, across twenty
further edits and a cancellation with a confidential reason. Checked on what a real SMTP server
(aiosmtpd) received; a member who stays receives the updates, so the test can fail."""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from communities.services.memberships import membership_leave
from events.series.recurrence import Recurrence
from events.series.services.rsvp import series_rsvp_set
from events.series.services.scheduling import series_create, series_update_all
from events.sessions.services.rsvp import rsvp_set
from events.sessions.services.scheduling import (
    SessionDetails,
    session_cancel,
    session_create,
    session_update,
)
from knowledge.services.questions import question_ask
from learning.articles.services import article_create, article_file_add, article_sessions_set
from tests.factories import MembershipFactory, SessionFactory, TakeawayFactory, UserFactory
from tests.learning.articles_matrix_world import PNG

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 2, 15, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 4, 12, 0, tzinfo=AMS)
SECRET = "reorganisatie-afdeling-x"
MARKERS = ("Dreiging", "Red team", "Kluis", SECRET, "security-champions")


@pytest.fixture
def smtp(settings, smtp_server):
    settings.EMAIL_BACKEND = "communities.mail.backends.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    return smtp_server


def deliver() -> None:
    # Far enough ahead that coalesced updates are due too.
    for token in outbox_claim_due(now=datetime(2030, 1, 1, tzinfo=UTC)):
        outbox_deliver_batch(lease_token=token)


def received_by(smtp, address: str) -> list[str]:
    texts = []
    for envelope in smtp.handler.envelopes:
        if address in envelope.rcpt_tos:
            mail = message_from_bytes(envelope.original_content)
            parts = [str(mail["Subject"])]
            parts += [
                part.get_payload(decode=True).decode()
                for part in mail.walk()
                if not part.is_multipart()
            ]
            texts.append("\n".join(parts))
    return texts


def details(**changes) -> SessionDetails:
    fields = {"title": "Dreigingsmodel", "format": "brown_bag", "start": START,
              "end": START + timedelta(hours=1), "timezone": "Europe/Amsterdam",
              "location": "Kluis", "capacity": 10, "description": "Red team"}  # fmt: skip
    return SessionDetails(**{**fields, **changes})


def test_a_leaver_gets_the_cancels_then_nothing_about_the_private_community(
    smtp, private_community, coordinator, time_machine
):
    time_machine.move_to(NOW, tick=False)
    leaver = UserFactory(email="leaver@example.org", display_name="Lea")
    stayer = UserFactory(email="stayer@example.org", display_name="Stan")
    for person in (leaver, stayer):
        MembershipFactory(user=person, community=private_community)
    session = session_create(community=private_community, actor=coordinator, details=details())
    series = series_create(community=private_community, actor=coordinator,
                           details=details(title="Dreiging wekelijks",
                                           start=START + timedelta(days=1),
                                           end=START + timedelta(days=1, hours=1)),
                           recurrence=Recurrence(frequency="weekly", count=6))  # fmt: skip
    for person in (leaver, stayer):
        rsvp_set(session_id=session.pk, user=person, status="going")
        series_rsvp_set(series_id=series.pk, user=person, status="going")
    deliver()
    assert len(received_by(smtp, leaver.email)) == 2  # the session and the series

    membership_leave(user=leaver, community=private_community)
    deliver()
    cancels = received_by(smtp, leaver.email)[2:]
    assert len(cancels) == 2
    assert all("METHOD:CANCEL" in text for text in cancels)
    assert all(SECRET not in text and "Red team" not in text for text in cancels)
    seen = len(received_by(smtp, leaver.email))
    stayer_before = len(received_by(smtp, stayer.email))

    for edit in range(20):
        time_machine.move_to(NOW + timedelta(minutes=5 * (edit + 1)), tick=False)
        if edit % 2:
            session_update(session_id=session.pk, actor=coordinator,
                           details=details(title=f"Dreigingsmodel {edit}",
                                           location=f"Kluis {edit}"))  # fmt: skip
        else:
            series_update_all(series_id=series.pk, actor=coordinator,
                              details=details(title=f"Dreiging wekelijks {edit}",
                                              location=f"Kluis {edit}",
                                              start=START + timedelta(days=1),
                                              end=START + timedelta(days=1, hours=1)))  # fmt: skip
        deliver()
    session_cancel(session_id=session.pk, actor=coordinator, reason=SECRET)
    deliver()

    after = received_by(smtp, leaver.email)[seen:]
    assert after == []
    mentioning = [t for t in received_by(smtp, leaver.email)[4:] if any(m in t for m in MARKERS)]
    assert mentioning == []
    # The stayer did get the updates and the cancellation: the canary can sing.
    stayer_after = received_by(smtp, stayer.email)[stayer_before:]
    assert len(stayer_after) >= 20
    assert any(SECRET in text for text in stayer_after)


def test_a_leaver_no_longer_reads_the_private_communitys_articles(
    client, community, private_community, coordinator
):
    """An article of a private community (its text, file and versions) is for its members: after
    leaving, search, the page, the file, the history and the public session it is linked to
    answer nothing of it; a member who stays still reads them, so the test can fail."""
    leaver, stayer = UserFactory(), UserFactory()
    for person in (leaver, stayer):
        MembershipFactory(user=person, community=private_community)
    article = article_create(
        author=coordinator, community=private_community, title="Kluisprocedure",
        body=f"Bij {SECRET}: bel de Red team-lead.",
    )  # fmt: skip
    image = article_file_add(article_id=article.pk, user=coordinator, name="k.png", data=PNG)
    public_session = SessionFactory(community=community, title="Open brown bag")
    article_sessions_set(article_id=article.pk, user=coordinator, session_ids=[public_session.pk])
    pages = [
        f"/articles/{article.pk}/",
        f"/articles/{article.pk}/versions/",
        f"/articles/{article.pk}/files/{image.pk}/",
    ]

    def seen_by(person) -> list[str]:
        client.force_login(person)
        found = [path for path in pages if client.get(path).status_code == 200]
        listing = client.get("/articles/", {"q": "kluisprocedure"}).content.decode()
        found += ["search"] if "Kluisprocedure" in listing else []
        session_page = client.get(f"/sessions/{public_session.pk}/")
        assert session_page.status_code == 200  # the session itself stays open to everyone
        shown = session_page.content.decode()
        return found + (["session"] if any(m in shown for m in ("Kluisprocedure", SECRET)) else [])

    assert seen_by(leaver) == [*pages, "search", "session"]
    membership_leave(user=leaver, community=private_community)
    assert seen_by(leaver) == []
    assert seen_by(stayer) == [*pages, "search", "session"]


def test_a_leaver_no_longer_finds_the_private_communitys_things_in_the_global_search(
    client, private_community, coordinator
):
    """The header's search over everything: before leaving, the member finds the private
    community, its upcoming session, its takeaway and its question by a confidential word;
    after leaving none of them is on the page; a member who stays still finds
    them all, so the test can fail."""
    leaver, stayer = UserFactory(), UserFactory()
    for person in (leaver, stayer):
        MembershipFactory(user=person, community=private_community)
    private_community.purpose = f"Werkgroep {SECRET}"
    private_community.save(update_fields=["purpose"])
    SessionFactory(community=private_community, title=f"Kluisoefening {SECRET}")
    started = timezone.now() - timedelta(days=2)
    past = SessionFactory(
        community=private_community, title="Terugblik", start=started,
        end=started + timedelta(hours=1),
    )  # fmt: skip
    TakeawayFactory(
        session=past, author=coordinator, owner=coordinator, visibility="community",
        title=f"Inzicht over {SECRET}", review_due=timezone.localdate() + timedelta(days=100),
    )  # fmt: skip
    question_ask(author=coordinator, title=f"Vraag over {SECRET}", community=private_community)
    things = [
        "Security Champions",
        f"Kluisoefening {SECRET}",
        f"Inzicht over {SECRET}",
        f"Vraag over {SECRET}",
    ]

    def found_by(person) -> list[str]:
        client.force_login(person)
        page = client.get("/search/", {"q": SECRET}).content.decode()
        return [thing for thing in things if thing in page]

    assert found_by(leaver) == things
    membership_leave(user=leaver, community=private_community)
    client.force_login(leaver)
    page = client.get("/search/", {"q": SECRET}).content.decode()
    assert [marker for marker in ("Security Champions", "Kluisoefening", "Inzicht over",
                                  "Vraag over") if marker in page] == []  # fmt: skip
    assert found_by(stayer) == things
