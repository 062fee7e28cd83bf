"""Takeaway search: PostgreSQL full text (Dutch and English stemming, prefixes), fresh above stale."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import cached_property

from communities.models import User
from events.models import Takeaway
from events.takeaways.selectors.reading import (
    attach_helpful,
    freshness_case,
    in_community_q,
    takeaways_visible_to,
    with_listing_data,
)

WORD = re.compile(r"\w+", re.UNICODE)
SEARCH_COUNT_CAP = 1_000
MAX_WORDS = 8
TSQUERY = (
    "(to_tsquery('dutch'::regconfig, %s) || to_tsquery('english'::regconfig, %s)"
    " || to_tsquery('simple'::regconfig, %s))"
)


def search_words(text: str) -> list[str]:
    """The words of a query (letters and digits only: nothing reaches tsquery syntax)."""
    return [word.lower() for word in WORD.findall(text or "")][:MAX_WORDS]


def _prefix_query(words: list[str]) -> str:
    return " & ".join(f"{word}:*" for word in words)


@dataclass(frozen=True)
class TakeawayFilters:
    q: str = ""
    community: str = ""  # slug
    tag: str = ""  # slug
    format: str = ""
    date_from: date | None = None
    date_to: date | None = None
    include_archived: bool = False


def takeaway_search(
    user: User, filters: TakeawayFilters, *, today: date | None = None
) -> QuerySet[Takeaway]:
    """Takeaways the viewer may read matching ``filters``: fresh first, best match first, with
    what a card shows (exports, tests; the search page uses ``search_page``)."""
    today = today or timezone.localdate()
    return with_listing_data(_matching(user, filters, today=today), user, today=today)


def search_page(user: User, filters: TakeawayFilters, *, number, per_page: int = 20) -> Page:
    """One page of ``takeaway_search``, in two steps: the ordered ids of the page (a narrow
    query: no joins for author, owner or tags while sorting every match), then those takeaways
    with what a card shows and their helpful marks. Five queries."""
    today = timezone.localdate()
    ids = _matching(user, filters, today=today).values_list("pk", flat=True)
    page = TakeawayPaginator(ids, per_page).get_page(number)
    wanted = list(page.object_list)
    found = {
        takeaway.pk: takeaway
        for takeaway in with_listing_data(Takeaway.objects.filter(pk__in=wanted), user, today=today)
    }
    page.object_list = attach_helpful([found[pk] for pk in wanted if pk in found], user)
    return page


def _matching(user: User, filters: TakeawayFilters, *, today: date) -> QuerySet[Takeaway]:
    queryset = takeaways_visible_to(user)
    if filters.community:
        queryset = queryset.filter(in_community_q(slug=filters.community))
    if filters.tag:
        queryset = queryset.filter(tags__slug=filters.tag)
    if filters.format:
        queryset = queryset.filter(session__format=filters.format)
    if filters.date_from:
        queryset = queryset.filter(session__start__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(session__start__date__lte=filters.date_to)
    if not filters.include_archived:
        queryset = queryset.filter(archived_at__isnull=True, superseded_by__isnull=True)
    queryset = queryset.annotate(freshness=freshness_case(today))
    words = search_words(filters.q)
    if not words:
        return queryset.order_by("freshness", "-created_at", "-id")
    if connection.vendor == "postgresql":
        query = _prefix_query(words)
        params = [query, query, query]
        queryset = queryset.annotate(
            # Constant SQL text; the words are bound parameters (and only \w characters).
            matches=RawSQL(  # noqa: S611
                f'"events_takeaway"."search_document" @@ {TSQUERY}',
                params,
                output_field=BooleanField(),
            ),
            rank=RawSQL(  # noqa: S611
                f'ts_rank("events_takeaway"."search_document", {TSQUERY})',
                params,
                output_field=FloatField(),
            ),
        ).filter(matches=True)
    else:
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(body__icontains=word)
                | Q(tags_text__icontains=word)
                | Q(who_benefits__icontains=word)
            )
        queryset = queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    return queryset.order_by("freshness", F("rank").desc(), "-created_at", "-id")


class TakeawayPaginator(Paginator):
    """Counts at most ``SEARCH_COUNT_CAP`` + 1 matches: an exact count of 100,000 takeaways
    costs a scan of them all, and nobody pages past the 50th page of a search. ``capped`` says
    the real number is larger (the page shows "more than 1,000")."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > SEARCH_COUNT_CAP
