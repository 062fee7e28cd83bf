"""Issuing a learning statement: a fixed copy of the record over a period, signed."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from communities.errors import DomainError
from communities.models import User
from learning.record.models import Statement
from learning.record.selectors import learning_lines
from learning.record.signing import statement_digest

MAX_PERIOD_DAYS = 5 * 366


def statement_issue(*, user: User, period_start: date, period_end: date) -> Statement:
    """Fix the record between two dates (inclusive) as a statement in the person's language.
    Transaction: one insert. Not idempotent: each call is a new statement (earlier ones stay
    valid)."""
    if period_end < period_start:
        raise DomainError(_("The end of the period must be after its start."), code="period")
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise DomainError(_("A statement covers at most five years."), code="period")
    lines = [line.as_json() for line in learning_lines(user, start=period_start, end=period_end)]
    total = sum((Decimal(line["hours"]) for line in lines), Decimal("0.00"))
    period = (period_start.isoformat(), period_end.isoformat())
    digest = statement_digest(person_name=user.name, period=period, lines=lines, total=str(total))
    return Statement.objects.create(
        user=user,
        person_name=user.name,
        period_start=period_start,
        period_end=period_end,
        language=user.language,
        lines=lines,
        total_hours=total,
        digest=digest,
    )
