"""The learning app's part of "download my data" and erasure (see communities.personal_data).

Erasure: a person's journeys as newcomer, pairing opt-ins, pairs, shadowing offers and
statements go with them (cascade; a statement that was handed to a register then no longer
verifies); on other people's journeys the buddy, supervisor or "done by" is emptied, and
templates and steps they made or were named in, and community plans they saved last, stay for
the community (set_null).
"""

from django.db.models import Q

from communities.models import User
from communities.personal_data import iso, register
from learning.articles.services import articles_hand_over
from learning.models import (
    Article,
    ArticleCoauthor,
    ArticleFile,
    ArticleVersion,
    CommunityPlan,
    Journey,
    JourneyStep,
    JourneyStepProgress,
    JourneyTemplate,
    Pair,
    PairingOptIn,
    ShadowingOffer,
    Statement,
    Welcome,
)


def _export_journeys(user: User) -> list[dict]:
    """The person's own journeys as a newcomer, step by step."""
    journeys = (
        Journey.objects.filter(newcomer=user)
        .select_related("template")
        .prefetch_related("progress__step")
        .order_by("start_date", "id")
    )
    return [
        {
            "journey": journey.template.title,
            "start_date": iso(journey.start_date),
            "state": journey.state,
            "completed_at": iso(journey.completed_at),
            "steps": [
                {"title": p.step.title, "due": iso(p.due_date), "done_at": iso(p.done_at)}
                for p in journey.progress.all()
            ],
        }
        for journey in journeys
    ]


def _export_accompanied(user: User) -> list[dict]:
    """Journeys the person accompanies (buddy, supervisor) or started for someone."""
    journeys = (
        Journey.objects.filter(Q(buddy=user) | Q(supervisor=user) | Q(started_by=user))
        .select_related("template", "newcomer")
        .order_by("start_date", "id")
    )
    return [
        {
            "journey": journey.template.title,
            "newcomer": journey.newcomer.name,
            "roles": [
                role
                for role, holder in (
                    ("buddy", journey.buddy_id),
                    ("supervisor", journey.supervisor_id),
                    ("started_by", journey.started_by_id),
                )
                if holder == user.pk
            ],
            "start_date": iso(journey.start_date),
        }
        for journey in journeys
    ]


def _export_steps_done(user: User) -> list[dict]:
    return [
        {"step": p.step.title, "done_at": iso(p.done_at)}
        for p in JourneyStepProgress.objects.filter(done_by=user)
        .select_related("step")
        .order_by("id")
    ]


def _export_templates(user: User) -> list[dict]:
    return [
        {"title": t.title, "created_at": iso(t.created_at)}
        for t in JourneyTemplate.objects.filter(created_by=user).order_by("id")
    ]


def _export_steps_named(user: User) -> list[dict]:
    return [
        {"template": s.template.title, "step": s.title}
        for s in JourneyStep.objects.filter(person=user).select_related("template").order_by("id")
    ]


def _export_opt_ins(user: User) -> list[dict]:
    return [
        {
            "programme": o.programme.name,
            "skip_next": o.skip_next,
            "paused": o.paused,
            "since": iso(o.created_at),
        }
        for o in PairingOptIn.objects.filter(user=user).select_related("programme").order_by("id")
    ]


def _export_pairs(user: User) -> list[dict]:
    pairs = (
        Pair.objects.filter(Q(first=user) | Q(second=user) | Q(third=user))
        .select_related("round__programme", "first", "second", "third")
        .order_by("round__held_on", "id")
    )
    return [
        {
            "programme": pair.round.programme.name,
            "round": pair.round.number,
            "with": [p.name for p in (pair.first, pair.second, pair.third) if p and p != user],
            "suggested_slot": iso(pair.slot_start),
        }
        for pair in pairs
    ]


def _export_offers(user: User) -> list[dict]:
    return [
        {"title": o.title, "team": o.team, "location": o.location, "created_at": iso(o.created_at)}
        for o in ShadowingOffer.objects.filter(host=user).order_by("id")
    ]


def _export_statements(user: User) -> list[dict]:
    return [
        {
            "issued_at": iso(s.issued_at),
            "period": [iso(s.period_start), iso(s.period_end)],
            "total_hours": str(s.total_hours),
            "lines": s.lines,
        }
        for s in Statement.objects.filter(user=user).order_by("id")
    ]


def _export_articles(user: User) -> list[dict]:
    return [
        {
            "title": a.title,
            "kind": a.kind,
            "community": a.community.name if a.community else None,
            "version": a.version,
            "review_due": iso(a.review_due),
            "created_at": iso(a.created_at),
        }
        for a in Article.objects.filter(owner=user).select_related("community").order_by("id")
    ]


def _export_coauthorships(user: User) -> list[dict]:
    return [
        {"article": c.article.title, "since": iso(c.added_at)}
        for c in ArticleCoauthor.objects.filter(user=user).select_related("article").order_by("id")
    ]


def _export_article_versions(user: User) -> list[dict]:
    return [
        {"article": v.article.title, "version": v.number, "note": v.note, "at": iso(v.created_at)}
        for v in ArticleVersion.objects.filter(author=user)
        .select_related("article")
        .defer("body", "article__body")
        .order_by("id")
    ]


def _export_article_files(user: User) -> list[dict]:
    return [
        {"article": f.article.title, "file": f.name, "size": f.size, "at": iso(f.created_at)}
        for f in ArticleFile.objects.filter(uploaded_by=user)
        .select_related("article")
        .defer("data", "article__body")
        .order_by("id")
    ]


def _export_reviews(user: User) -> list[dict]:
    return [
        {"article": a.title, "reviewed_at": iso(a.reviewed_at)}
        for a in Article.objects.filter(reviewed_by=user).order_by("id")
    ]


def _export_welcomes_received(user: User) -> list[dict]:
    return [
        {
            "community": w.community.name,
            "by": w.welcomed_by.name if w.welcomed_by else None,
            "at": iso(w.sent_at),
        }
        for w in Welcome.objects.filter(newcomer=user)
        .select_related("community", "welcomed_by")
        .order_by("id")
    ]


def _export_welcomes_sent(user: User) -> list[dict]:
    return [
        {"community": w.community.name, "newcomer": w.newcomer.name, "at": iso(w.sent_at)}
        for w in Welcome.objects.filter(welcomed_by=user)
        .select_related("community", "newcomer")
        .order_by("id")
    ]


def _erase_article_ownership(user: User) -> None:
    """Articles move to a co-author or a coordinator of the community before the account goes."""
    articles_hand_over(user=user)


def _export_plans(user: User) -> list[dict]:
    """Community plans the person saved last (the plan stays with the community)."""
    return [
        {"community": p.community.name, "year": p.year, "updated_at": iso(p.updated_at)}
        for p in CommunityPlan.objects.filter(updated_by=user)
        .select_related("community")
        .order_by("year", "id")
    ]


def register_learning() -> None:
    register(
        section="articles_owned",
        model=Article,
        user_fields=("owner",),
        export=_export_articles,
        erasure=_erase_article_ownership,
    )
    register(
        section="article_reviews",
        model=Article,
        user_fields=("reviewed_by",),
        export=_export_reviews,
        erasure="set_null",
    )
    register(
        section="article_coauthorships",
        model=ArticleCoauthor,
        user_fields=("user",),
        export=_export_coauthorships,
        erasure="cascade",
    )
    register(
        section="article_versions",
        model=ArticleVersion,
        user_fields=("author",),
        export=_export_article_versions,
        erasure="set_null",
    )
    register(
        section="article_files",
        model=ArticleFile,
        user_fields=("uploaded_by",),
        export=_export_article_files,
        erasure="set_null",
    )
    register(
        section="welcomes_received",
        model=Welcome,
        user_fields=("newcomer",),
        export=_export_welcomes_received,
        erasure="cascade",
    )
    register(
        section="welcomes_sent",
        model=Welcome,
        user_fields=("welcomed_by",),
        export=_export_welcomes_sent,
        erasure="set_null",
    )
    register(
        section="journeys",
        model=Journey,
        user_fields=("newcomer",),
        export=_export_journeys,
        erasure="cascade",
    )
    register(
        section="journeys_accompanied",
        model=Journey,
        user_fields=("buddy", "supervisor", "started_by"),
        export=_export_accompanied,
        erasure="set_null",
    )
    register(
        section="journey_steps_done",
        model=JourneyStepProgress,
        user_fields=("done_by",),
        export=_export_steps_done,
        erasure="set_null",
    )
    register(
        section="journey_templates",
        model=JourneyTemplate,
        user_fields=("created_by",),
        export=_export_templates,
        erasure="set_null",
    )
    register(
        section="journey_steps_naming_me",
        model=JourneyStep,
        user_fields=("person",),
        export=_export_steps_named,
        erasure="set_null",
    )
    register(
        section="pairing_opt_ins",
        model=PairingOptIn,
        user_fields=("user",),
        export=_export_opt_ins,
        erasure="cascade",
    )
    register(
        section="pairs",
        model=Pair,
        user_fields=("first", "second", "third"),
        export=_export_pairs,
        erasure="cascade",
    )
    register(
        section="shadowing_offers",
        model=ShadowingOffer,
        user_fields=("host",),
        export=_export_offers,
        erasure="cascade",
    )
    register(
        section="statements",
        model=Statement,
        user_fields=("user",),
        export=_export_statements,
        erasure="cascade",
    )
    register(
        section="community_plans_saved",
        model=CommunityPlan,
        user_fields=("updated_by",),
        export=_export_plans,
        erasure="set_null",
    )
