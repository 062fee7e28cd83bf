"""Guard (ARCHITECTURE.md rule 5): nothing is enqueued with an ETA/countdown longer than 5
minutes, and no retry backs off for more than 300 s.

Redis redelivers unacknowledged ETA tasks after its visibility timeout and loses them when it is
wiped, so anything that must happen later is a row (the outbox), never a delayed broker message.
The static scan reads every module of the project; the runtime checks look at every registered
task and at what a full reminder round publishes.
"""

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from celery import Task
from django.conf import settings

from communities.mail.services import retry_delay
from communities.mail.tasks import outbox_sweep
from config.celery import app as celery_app
from events.tasks import reminders_plan_task
from tests.factories import MembershipFactory, RsvpFactory, SessionFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("communities", "events", "intervision", "config")
MAX_DELAY = 300
DELAY_KEYWORDS = {"countdown", "eta", "retry_backoff_max", "default_retry_delay", "expires_in"}


def _number(node: ast.AST) -> float | None:
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None
    return value if isinstance(value, int | float) else None


def violations_in(source: str, filename: str = "<source>") -> list[str]:
    """Every keyword that sets a delay above MAX_DELAY, or a delay that is not a constant."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg not in DELAY_KEYWORDS:
                    continue
                if keyword.arg == "eta":
                    found.append(f"{filename}:{node.lineno}: eta= (use an outbox row)")
                    continue
                value = _number(keyword.value)
                if value is None or value > MAX_DELAY:
                    found.append(
                        f"{filename}:{node.lineno}: {keyword.arg}={ast.unparse(keyword.value)}"
                    )
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in DELAY_KEYWORDS:
                    number = _number(value)
                    if number is None or number > MAX_DELAY:
                        found.append(f"{filename}:{node.lineno}: {key.value}: {ast.unparse(value)}")
    return found


def project_sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_sets_a_long_countdown_eta_or_backoff():
    found = []
    for path in project_sources():
        found += violations_in(path.read_text(), str(path.relative_to(ROOT)))
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "send.apply_async(args=[1], countdown=600)",
        "send.apply_async(args=[1], eta=tomorrow)",
        "send.apply_async(args=[1], countdown=DELAY)",
        "self.retry(countdown=3600)",
        "@shared_task(retry_backoff_max=900)\ndef f(): pass",
        "OPTIONS = {'retry_backoff_max': 301}",
    ],
)
def test_the_scan_catches_long_delays(source):
    """Negative control: the scan above is not vacuous."""
    assert len(violations_in(source)) == 1


@pytest.mark.parametrize(
    "source",
    ["send.apply_async(args=[1], countdown=60)", "OPTIONS = {'retry_backoff_max': 300}"],
)
def test_the_scan_allows_short_delays(source):
    assert violations_in(source) == []


def test_every_registered_task_backs_off_at_most_300_seconds():
    celery_app.loader.import_default_modules()
    tasks = {
        name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")
    }
    assert "events.tasks.reminders_plan" in tasks
    assert "events.tasks.outbox_send_batch" in tasks
    too_long = {
        name: (getattr(task, "retry_backoff_max", 0), task.default_retry_delay)
        for name, task in tasks.items()
        if getattr(task, "retry_backoff_max", 0) > MAX_DELAY or task.default_retry_delay > MAX_DELAY
    }
    assert too_long == {}
    assert settings.OUTBOX_RETRY_BACKOFF_MAX <= MAX_DELAY


def test_a_reminder_round_publishes_nothing_delayed(db, monkeypatch, time_machine, community):
    """What the planner and the sweep publish at run time: no countdown, no ETA."""

    published = []
    original = Task.apply_async

    def record(self, args=None, kwargs=None, **options):
        published.append((self.name, options.get("countdown"), options.get("eta")))
        return original(self, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", record)
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    person = UserFactory()
    MembershipFactory(user=person, community=community)
    session = SessionFactory(community=community, start=datetime(2026, 6, 1, 11, 0, tzinfo=UTC),
                             end=datetime(2026, 6, 1, 12, 0, tzinfo=UTC))  # fmt: skip
    RsvpFactory(session=session, user=person)
    reminders_plan_task.delay()
    outbox_sweep.delay()

    assert {name for name, _countdown, _eta in published} >= {
        "events.tasks.reminders_plan",
        "events.tasks.outbox_sweep",
        "events.tasks.outbox_send_batch",
    }
    assert [(n, c, e) for n, c, e in published if c or e] == []
    assert max(retry_delay(attempts).total_seconds() for attempts in range(1, 30)) == 300
