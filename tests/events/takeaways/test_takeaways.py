"""Takeaways: capture rules, visibility (the canary), the review lifecycle and the
review nudge (time-machine), helpful marks, hiding, freshness and recognition."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from communities.errors import DomainError
from communities.mail.models import OutboxMessage
from communities.mail.services import outbox_claim_due, outbox_deliver_batch
from config.celery import app
from events.models import Takeaway, TakeawayHelpful, TakeawayReview
from events.takeaways.rules import add_months
from events.takeaways.selectors.freshness import community_freshness
from events.takeaways.selectors.reading import takeaways_for_digest, takeaways_visible_to
from events.takeaways.selectors.recognition import contributions_of, contributors_to_thank
from events.takeaways.selectors.search import TakeawayFilters, takeaway_search
from events.takeaways.services import (
    TakeawayNotFound,
    contributions_visibility_set,
    helpful_set,
    nudge_key,
    takeaway_archive,
    takeaway_create,
    takeaway_hide,
    takeaway_reconfirm,
    takeaway_review_nudge,
    takeaway_supersede,
    takeaway_unhide,
    takeaway_update,
)
from events.tasks import takeaway_review_nudge as task
from tests.factories import (
    IntervisionGroupFactory,
    MembershipFactory,
    RsvpFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
WRITTEN = datetime(2030, 1, 10, 10, 0, tzinfo=UTC)
CANARY = "KANARIE7731"


def _came(session, user=None):
    return RsvpFactory(session=session, user=user or UserFactory(), status="going").user


def _past(community, **fields):
    start = fields.pop("start", timezone.now() - timedelta(hours=2))
    return SessionFactory(
        community=community, start=start, end=start + timedelta(hours=1), **fields
    )


def _write(session, author, **fields):
    values = {"title": "Use Protocols", "visibility": "organisation"}
    values.update(fields)
    return takeaway_create(session_id=session.pk, author=author, **values)


# --- capture ------------------------------------------------------------------------------------


def test_takeaway_create_records_everything_and_the_author_owns_it(community, time_machine):
    time_machine.move_to(WRITTEN, tick=False)
    session = _past(community)
    author = _came(session)

    takeaway = _write(
        session,
        author,
        body="Structural typing, *checked*.",
        kind="tip",
        tags="Python, typing, python",
        who_benefits="Team Data",
        action="Add a Protocol to the client",
        action_due=date(2030, 2, 1),
    )

    takeaway.refresh_from_db()
    assert (takeaway.owner_id, takeaway.kind, takeaway.language) == (author.pk, "tip", "nl")
    assert sorted(takeaway.tags.values_list("slug", flat=True)) == ["python", "typing"]
    assert takeaway.tags_text == "Python typing"
    assert (takeaway.who_benefits, takeaway.action, takeaway.action_due) == (
        "Team Data",
        "Add a Protocol to the client",
        date(2030, 2, 1),
    )
    # Technical tips: review after 6 months; other learnings after 12.
    assert takeaway.review_due == date(2030, 7, 10)
    assert _write(session, author, kind="learning").review_due == date(2031, 1, 10)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2030, 8, 31), 6, date(2031, 2, 28)),
        (date(2032, 2, 29), 12, date(2033, 2, 28)),
        (date(2030, 1, 31), 1, date(2030, 2, 28)),
        (date(2030, 3, 15), -12, date(2029, 3, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_takeaway_in_an_intervision_group_stays_in_the_group(db):
    group = IntervisionGroupFactory()
    session = _past(group, format="intervision")
    author = _came(session)
    MembershipFactory(user=author, community=group)

    default = takeaway_create(session_id=session.pk, author=author, title="Vraag door")
    asked_wide = _write(session, author, visibility="organisation")

    assert (default.visibility, asked_wide.visibility) == ("community", "community")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"tags": ",".join(f"t{n}" for n in range(9))}, "tags"),
        ({"tags": "x" * 41}, "tags"),
        ({"tags": "!!!"}, "tags"),
        ({"kind": "rumour"}, "kind"),
        ({"action_due": date(2030, 2, 1)}, "action_due"),
        ({"action": "y" * 281}, "action"),
        ({"who_benefits": "z" * 201}, "who"),
    ],
)
def test_takeaway_create_bad_input_changes_nothing(community, changes, code):
    session = _past(community)
    author = _came(session)

    with pytest.raises(DomainError) as raised:
        _write(session, author, **changes)

    assert raised.value.code == code
    assert Takeaway.objects.count() == 0


# --- visibility: the canary ---------------------------------------------------------------------


@pytest.fixture
def canaries(community, private_community, member, coordinator):
    """Takeaways with the canary word that an outsider must never see: private ones, a private
    community's (even when "organisation" was asked) and an intervision group's."""
    group = IntervisionGroupFactory(name="Intervisie Noord", slug="intervisie-noord")
    author = UserFactory(email="author@example.org", display_name="Anna Author")
    author.show_contributions = True
    author.save(update_fields=["show_contributions"])
    for target in (community, private_community, group):
        MembershipFactory(user=author, community=target)
    for target in (community, private_community):
        MembershipFactory(user=member, community=target)
    public_session = _past(community, title="Open sessie")
    private_session = _past(private_community, title="Dichte sessie")
    group_session = _past(group, title="Intervisie", format="intervision")
    for session in (public_session, private_session, group_session):
        _came(session, author)
    secret = [
        _write(
            public_session, author, title=f"{CANARY} prive", visibility="private", tags="kanarie"
        ),
        _write(private_session, author, title=f"{CANARY} dicht", tags="kanarie"),
        _write(group_session, author, title=f"{CANARY} groep", tags="kanarie"),
    ]
    shared = _write(public_session, author, title="Open inzicht", tags="kanarie")
    return {"author": author, "secret": secret, "shared": shared, "public_session": public_session}


def test_canary_never_reaches_an_outsider_in_selectors(canaries, other_user, member):
    """other_user belongs to no community; member belongs to the public and private community
    but not to the intervision group."""
    outsider_sees = set(takeaways_visible_to(other_user).values_list("title", flat=True))
    assert outsider_sees == {"Open inzicht"}
    member_sees = set(takeaways_visible_to(member).values_list("title", flat=True))
    assert member_sees == {"Open inzicht", f"{CANARY} dicht"}
    found = takeaway_search(other_user, TakeawayFilters(q=CANARY.lower()))
    assert list(found) == []
    tagged = takeaway_search(other_user, TakeawayFilters(tag="kanarie"))
    assert [t.title for t in tagged] == ["Open inzicht"]


def test_canary_never_reaches_an_outsider_over_http(client, canaries, other_user, community):
    client.force_login(other_user)
    author = canaries["author"]
    pages = [
        "/takeaways/",
        "/takeaways/tags/kanarie/",
        f"/communities/{community.slug}/takeaways/",
        f"/communities/{community.slug}/takeaways/?export=md",
        f"/communities/{community.slug}/takeaways/?export=csv",
        f"/communities/{community.slug}/",
        f"/sessions/{canaries['public_session'].pk}/",
        f"/people/{author.pk}/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert CANARY not in response.content.decode(), path
    assert "Open inzicht" in client.get("/takeaways/tags/kanarie/").content.decode()
    # Searching for it finds nothing (the page only echoes the words searched for).
    assert client.get("/takeaways/", {"q": CANARY}).context["page"].paginator.count == 0
    for takeaway in canaries["secret"]:
        assert client.get(f"/takeaways/{takeaway.pk}/").status_code == 404
    assert client.get("/communities/intervisie-noord/takeaways/").status_code == 404
    assert client.get("/communities/security-champions/takeaways/?export=csv").status_code == 404


def test_canary_stays_out_of_another_persons_nudge(canaries, time_machine):
    """The review nudge lists only the owner's own takeaways."""
    reader = UserFactory()
    MembershipFactory(user=reader, community=canaries["public_session"].community)
    session = canaries["public_session"]
    _came(session, reader)
    mine = _write(session, reader, title="Mijn eigen inzicht")
    time_machine.move_to(timezone.now() + timedelta(days=400), tick=False)

    takeaway_review_nudge()

    message = OutboxMessage.objects.get(recipient=reader)
    assert mine.title in message.body_text
    assert CANARY not in message.body_text + message.body_html


def test_hidden_takeaway_is_seen_by_author_and_leads_only(
    community, coordinator, member, other_user
):
    session = _past(community)
    author = _came(session)
    takeaway = _write(session, author, title="Off topic")

    takeaway_hide(takeaway_id=takeaway.pk, lead=coordinator, reason="Geen inzicht maar reclame")

    takeaway.refresh_from_db()
    assert (takeaway.hidden_by_id, takeaway.hidden_reason) == (
        coordinator.pk,
        "Geen inzicht maar reclame",
    )
    visible = {
        who: takeaways_visible_to(user).filter(pk=takeaway.pk).exists()
        for who, user in (
            ("author", author),
            ("coordinator", coordinator),
            ("member", member),
            ("outsider", other_user),
        )
    }
    assert visible == {"author": True, "coordinator": True, "member": False, "outsider": False}
    takeaway_unhide(takeaway_id=takeaway.pk, lead=coordinator)
    assert takeaways_visible_to(other_user).filter(pk=takeaway.pk).exists()


def test_hide_needs_a_reason_and_a_lead(community, coordinator, member):
    session = _past(community)
    takeaway = _write(session, _came(session))

    with pytest.raises(DomainError) as raised:
        takeaway_hide(takeaway_id=takeaway.pk, lead=coordinator, reason="  ")
    assert raised.value.code == "hidden_reason"
    with pytest.raises(TakeawayNotFound):
        takeaway_hide(takeaway_id=takeaway.pk, lead=member, reason="Weg ermee")
    takeaway.refresh_from_db()
    assert takeaway.hidden_at is None


# --- the review lifecycle and the nudge (time-machine) ------------------------------------------


@pytest.fixture
def tip(community, time_machine):
    time_machine.move_to(WRITTEN, tick=False)
    session = _past(community)
    author = _came(session)
    return _write(session, author, kind="tip", title="Pin your dependencies")


def test_freshness_transitions_and_one_nudge_per_due_takeaway(tip, time_machine):
    owner = tip.owner
    time_machine.move_to(datetime(2030, 7, 9, 12, 0, tzinfo=UTC), tick=False)
    assert (tip.status, takeaway_review_nudge()) == ("published", 0)

    time_machine.move_to(datetime(2030, 7, 10, 12, 0, tzinfo=UTC), tick=False)
    tip.refresh_from_db()
    assert tip.status == "review_due"
    assert takeaway_review_nudge() == 1
    assert takeaway_review_nudge() == 0  # same day, again: nothing new
    time_machine.move_to(datetime(2030, 7, 11, 12, 0, tzinfo=UTC), tick=False)
    assert takeaway_review_nudge() == 0  # next day: already nudged for this review date
    messages = OutboxMessage.objects.filter(kind="takeaway_review")
    assert list(messages.values_list("dedupe_key", "to_email")) == [
        (f"takeaway-review:{owner.pk}:2030-07-10", owner.email)
    ]
    tip.refresh_from_db()
    assert tip.review_nudged_for == date(2030, 7, 10)

    # Reconfirmed: fresh again, reviewed, next review 6 months on.
    takeaway_reconfirm(takeaway_id=tip.pk, user=owner)
    tip.refresh_from_db()
    assert (tip.status, tip.review_due, tip.reviewed_by_id) == (
        "published",
        date(2031, 1, 11),
        owner.pk,
    )
    assert list(tip.reviews.values_list("outcome", flat=True)) == ["reconfirmed"]

    # Due again later: a new nudge for the new review date.
    time_machine.move_to(datetime(2031, 1, 11, 8, 0, tzinfo=UTC), tick=False)
    assert takeaway_review_nudge() == 1
    assert messages.count() == 2


def test_an_edit_alone_is_not_a_review(tip, time_machine):
    time_machine.move_to(datetime(2030, 8, 1, 12, 0, tzinfo=UTC), tick=False)
    fields = {
        "title": "Pin and hash your dependencies",
        "visibility": "organisation",
        "kind": "tip",
    }

    takeaway_update(takeaway_id=tip.pk, user=tip.owner, **fields)
    tip.refresh_from_db()
    assert (tip.title, tip.status, tip.review_due, tip.reviews.count()) == (
        "Pin and hash your dependencies",
        "review_due",
        date(2030, 7, 10),
        0,
    )

    takeaway_update(takeaway_id=tip.pk, user=tip.owner, as_review=True, **fields)
    tip.refresh_from_db()
    assert (tip.status, tip.review_due) == ("published", date(2031, 2, 1))
    assert list(tip.reviews.values_list("outcome", flat=True)) == ["updated"]


def test_nudge_batches_per_owner_and_skips_archived_and_superseded(community, time_machine):
    time_machine.move_to(WRITTEN, tick=False)
    session = _past(community)
    anna, bert = _came(session), _came(session)
    annas = [_write(session, anna, kind="tip", title=f"Tip {n}") for n in range(3)]
    berts = _write(session, bert, kind="tip", title="Bert's tip")
    newer = _write(session, anna, kind="learning", title="Newer")
    takeaway_archive(takeaway_id=annas[2].pk, user=anna)
    takeaway_supersede(takeaway_id=annas[1].pk, user=anna, by_id=newer.pk)
    time_machine.move_to(datetime(2030, 8, 1, 12, 0, tzinfo=UTC), tick=False)

    assert takeaway_review_nudge() == 2

    to_anna = OutboxMessage.objects.get(dedupe_key=nudge_key(anna.pk, date(2030, 8, 1)))
    assert "Tip 0" in to_anna.body_text
    assert "Tip 1" not in to_anna.body_text and "Tip 2" not in to_anna.body_text
    assert OutboxMessage.objects.filter(recipient=bert).count() == 1
    assert list(Takeaway.objects.filter(review_nudged_for__isnull=False).order_by("id")) == [
        annas[0],
        berts,
    ]


def test_nudge_mail_is_sent_through_the_outbox(tip, time_machine, settings):

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to(datetime(2030, 7, 10, 12, 0, tzinfo=UTC), tick=False)
    takeaway_review_nudge()
    for token in outbox_claim_due(now=timezone.now()):
        outbox_deliver_batch(lease_token=token)

    assert [message.to for message in mail.outbox] == [[tip.owner.email]]
    assert mail.outbox[0].subject == "Een inzicht van je is toe aan een controle"
    assert f"/takeaways/{tip.pk}/" in mail.outbox[0].body


def test_supersede_refuses_itself_and_unknown(tip):
    for by in (tip.pk, 999999):
        with pytest.raises(DomainError) as raised:
            takeaway_supersede(takeaway_id=tip.pk, user=tip.owner, by_id=by)
        assert raised.value.code == "superseded_by"
    tip.refresh_from_db()
    assert tip.superseded_by_id is None


def test_someone_elses_takeaway_cannot_be_edited_or_reviewed(tip, member):
    for action in (takeaway_reconfirm, takeaway_archive):
        with pytest.raises(TakeawayNotFound):
            action(takeaway_id=tip.pk, user=member)
    assert TakeawayReview.objects.count() == 0


def test_community_freshness_is_the_share_reviewed_within_the_window(community, time_machine):
    time_machine.move_to(WRITTEN, tick=False)
    session = _past(community)
    author = _came(session)
    tips = [_write(session, author, kind="tip", title=f"Tip {n}") for n in range(2)]
    learnings = [_write(session, author, title=f"Les {n}") for n in range(2)]
    takeaway_archive(takeaway_id=learnings[1].pk, user=author)
    time_machine.move_to(datetime(2030, 8, 1, 12, 0, tzinfo=UTC), tick=False)

    freshness = community_freshness(community)
    assert (freshness.active, freshness.fresh, freshness.percent) == (3, 1, 33)

    takeaway_reconfirm(takeaway_id=tips[0].pk, user=author)
    assert community_freshness(community).percent == 67


def test_search_shows_fresh_before_stale(community, time_machine, member):
    time_machine.move_to(WRITTEN, tick=False)
    session = _past(community)
    author = _came(session)
    stale = _write(session, author, kind="tip", title="Old tip")
    time_machine.move_to(datetime(2030, 8, 1, 12, 0, tzinfo=UTC), tick=False)
    fresh = _write(session, author, kind="tip", title="New tip")
    older_fresh = Takeaway.objects.filter(pk=stale.pk)
    assert older_fresh.get().review_due < fresh.review_due

    found = list(takeaway_search(member, TakeawayFilters(q="tip")))

    assert [(t.title, t.freshness) for t in found] == [("New tip", 0), ("Old tip", 1)]


# --- helpful marks and recognition --------------------------------------------------------------


def test_helpful_mark_once_per_person_not_on_your_own(community, member):
    session = _past(community)
    author = _came(session)
    takeaway = _write(session, author)

    assert helpful_set(takeaway_id=takeaway.pk, user=member, helpful=True) is True
    assert helpful_set(takeaway_id=takeaway.pk, user=member, helpful=True) is True
    assert TakeawayHelpful.objects.filter(takeaway=takeaway).count() == 1
    with pytest.raises(DomainError) as raised:
        helpful_set(takeaway_id=takeaway.pk, user=author, helpful=True)
    assert raised.value.code == "own"
    assert helpful_set(takeaway_id=takeaway.pk, user=member, helpful=False) is False
    assert TakeawayHelpful.objects.count() == 0


def test_helpful_mark_on_a_takeaway_you_may_not_read_is_not_found(private_community, other_user):
    session = _past(private_community)
    author = _came(session)
    MembershipFactory(user=author, community=private_community)
    takeaway = _write(session, author)

    with pytest.raises(TakeawayNotFound):
        helpful_set(takeaway_id=takeaway.pk, user=other_user, helpful=True)


def test_contributions_count_what_a_person_shared(community, member, other_user):
    session = _past(community)
    session.hosts.add(member)
    _came(session, member)
    shared = _write(session, member, title="Gedeeld")
    _write(session, member, title="Prive", visibility="private")
    helpful_set(takeaway_id=shared.pk, user=other_user, helpful=True)

    figures = contributions_of(member)

    assert (
        figures.sessions_hosted,
        figures.cases_brought,
        figures.takeaways_written,
        figures.helpful_received,
    ) == (1, 0, 1, 1)


def test_only_people_who_opted_in_are_thanked(community, member, other_user):
    session = _past(community)
    for person in (member, other_user):
        _came(session, person)
        _write(session, person, title=f"Van {person.name}")
    contributions_visibility_set(user=member, show=True)
    since = timezone.now() - timedelta(days=7)

    assert contributors_to_thank(community=community, since=since) == [member]


def test_review_nudge_runs_hourly_from_beat_as_a_thin_task(tip, time_machine, settings):

    entry = settings.CELERY_BEAT_SCHEDULE["takeaway-review-nudge"]
    assert entry == {"task": "events.tasks.takeaway_review_nudge", "schedule": 3600.0}
    assert app.tasks[entry["task"]].name == task.name == entry["task"]
    time_machine.move_to(datetime(2030, 7, 10, 12, 0, tzinfo=UTC), tick=False)
    assert (task(), task()) == (1, 0)


def test_canary_stays_out_of_digests(canaries, other_user, member, community, private_community):
    """The digest selector gives each recipient only what they may read; stale, hidden and
    archived takeaways stay out."""

    since = timezone.now() - timedelta(days=7)
    session = canaries["public_session"]
    stale = _write(session, canaries["author"], title="Verouderd")
    Takeaway.objects.filter(pk=stale.pk).update(review_due=timezone.localdate())

    def titles(user, target):
        return [
            t.title for t in takeaways_for_digest(recipient=user, community=target, since=since)
        ]

    assert titles(other_user, community) == ["Open inzicht"]
    assert titles(other_user, private_community) == []
    assert titles(member, private_community) == [f"{CANARY} dicht"]
    assert CANARY not in " ".join(titles(member, community))
