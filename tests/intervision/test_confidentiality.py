"""The canary: a unique string planted in the selected case and in live items.

Before the session closes it appears in no mail (outbox row), calendar feed, log line, search
result, admin list view or task payload; after the session is closed (presenter's private copy
declined) it is found nowhere in the database.
"""

import logging
import secrets
import sys
from datetime import timedelta

import pytest
from celery.app.task import Task
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter
from django.views.decorators.debug import sensitive_variables

from communities.mail.models import OutboxMessage
from events.calendar.services.subscriptions import feed_token_reset
from intervision.models import ContentKey, IntervisionSession
from intervision.services.reminders import reminders_enqueue
from intervision.views import cases as case_views
from tests.factories import RsvpFactory, StaffFactory, TakeawayFactory
from tests.intervision.conftest import CANARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(client, group, time_machine, monkeypatch, caplog):
    """A session run through the HTTP pages with the canary in the case and in live items;
    every Celery task enqueued and every log record meanwhile is recorded."""
    caplog.set_level(logging.DEBUG)
    sent = []

    def record(self, args=None, kwargs=None, **options):
        sent.append((self.name, args, kwargs))

    monkeypatch.setattr(Task, "apply_async", record)
    isession = group.schedule(days=15)
    presenter = group.members[2]
    for member in group.members:
        RsvpFactory(session=isession.session, user=member, status="going")
    client.force_login(presenter)
    response = client.post(
        f"/intervision/groups/{group.community.slug}/cases/new/",
        {
            "title": f"Casus {CANARY}",
            "question": f"Hoe ga ik om met {CANARY}?",
            "pitch": f"Het gaat over {CANARY}.",
            "urgency": "4",
            "no_client_data": "on",
        },
    )
    assert response.status_code == 302
    # Reminders along the way: call for cases, deadline (auto-selects the one case), agenda.
    for days_before in (14, 3, 1):
        time_machine.move_to(isession.session.start - timedelta(days=days_before, minutes=-1))
        reminders_enqueue()
    time_machine.move_to(isession.session.start + timedelta(minutes=1))
    client.force_login(group.facilitator)
    isession.refresh_from_db()
    client.post(
        f"/intervision/sessions/{isession.session_id}/control/",
        {"action": "start", "version": isession.version},
    )
    for author, kind in ((1, "question"), (3, "advice"), (4, "note"), (5, "takeaway")):
        client.force_login(group.members[author])
        client.post(
            f"/intervision/sessions/{isession.session_id}/items/",
            {"kind": kind, "text": f"{kind}: {CANARY}", "keep": ""},
        )
    time_machine.move_to(isession.session.end + timedelta(minutes=1))
    reminders_enqueue()  # the takeaway prompt
    return isession, sent


def test_canary_is_in_the_group_view_so_the_test_can_see_it(client, group, planted):
    isession, _sent = planted
    client.force_login(group.members[1])
    assert CANARY in client.get(f"/intervision/sessions/{isession.session_id}/follow/").text


def test_canary_reaches_no_mail_feed_log_search_admin_list_or_task(client, group, planted, caplog):
    caplog.set_level(logging.DEBUG)
    isession, sent = planted
    # call for cases, agenda and takeaway prompt to six members (one case: no deadline nudge)
    assert OutboxMessage.objects.filter(kind__startswith="intervision_").count() == 6 * 3
    for message in OutboxMessage.objects.all():
        assert CANARY not in f"{message.subject}{message.body_text}{message.body_html}"
        assert CANARY not in str(message.headers)

    member = group.members[1]
    token = feed_token_reset(user=member)
    client.force_login(member)
    feeds = [
        f"/calendar/{token}.ics",
        f"/calendar/{token}/communities/{group.community.slug}.ics",
        f"/sessions/{isession.session_id}/calendar.ics",
    ]
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Intervision" in response.content or b"Intervisie" in response.content
        assert CANARY.encode() not in response.content, url

    for url in (f"/communities/?q={CANARY}", f"/sessions/?q={CANARY}"):
        assert CANARY not in without_echo(client.get(url).text), url

    staff = StaffFactory()
    client.force_login(staff)
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARY not in response.text, url
        assert CANARY not in without_echo(client.get(url, {"q": CANARY}).text), url

    records = caplog.get_records("setup") + caplog.records
    assert len(records) > 0  # the flow does log (requests, outbox), just never the canary
    for record in records:
        assert CANARY not in record.getMessage()
        assert CANARY not in str(record.args)
    assert CANARY not in caplog.text
    assert CANARY not in repr(sent)


def without_echo(page: str) -> str:
    """The page minus the search box and links that repeat the query itself."""
    for echo in (f'value="{CANARY}"', f"q={CANARY}", f"q%3D{CANARY}"):
        page = page.replace(echo, "")
    return page


def _tables_holding(text: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            if any(text in repr(row) for row in cursor.fetchall()):
                found.append(table)
    return found


def test_after_close_the_canary_is_nowhere_in_the_database(client, group, planted):
    isession, _sent = planted
    # Stored sealed: not even before the close is the text in any table in clear.
    assert _tables_holding(CANARY) == []
    assert ContentKey.objects.count() == 2  # the case's key and the live items' key
    client.force_login(group.facilitator)
    response = client.post(
        f"/intervision/sessions/{isession.session_id}/close/", {"theme": "Grenzen stellen"}
    )
    assert response.status_code == 302
    assert IntervisionSession.objects.get(pk=isession.pk).state == "closed"
    assert _tables_holding(CANARY) == []
    assert ContentKey.objects.count() == 0  # shredded


def test_error_report_of_a_failing_case_post_hides_the_case_text(group, monkeypatch, caplog):
    """A crash while a case is posted: Django's error report (what admins get by mail) hides
    the case form's fields and the variables of the frames that held them."""

    @sensitive_variables()  # as the real service is
    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(case_views, "case_submit", crash)
    client = Client(raise_request_exception=False)
    client.force_login(group.members[1])
    response = client.post(
        f"/intervision/groups/{group.community.slug}/cases/new/",
        {
            "title": CANARY,
            "question": f"Hoe doe ik {CANARY}?",
            "pitch": CANARY,
            "urgency": "3",
            "no_client_data": "on",
        },
    )
    assert response.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    reporter = ExceptionReporter(record.request, *record.exc_info)
    text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert "boom" in text and "Local vars" in html  # the HTML report lists frame variables
    assert CANARY not in text
    assert CANARY not in html
    assert sys.exc_info() == (None, None, None)


# --- crypto-shredding: nothing readable left in PostgreSQL's files ----------------------------
# Deleted rows stay in the heap as dead tuples until a VACUUM (and in the WAL and in backups for
# ever): they may hold ciphertext, never the text. The server reads its own files for the test
# (``pg_read_binary_file``; the tests connect as a superuser): every file of the test database
# and the WAL segments written since the test began, after a CHECKPOINT has flushed every dirty
# page, committed or not, to disk.

CONTROL = "KONTROLE-2b91e4-zichtbaar"


def _files_holding(text: str, *, wal_since: str) -> list[str]:
    needle = text.encode()
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        base = f"base/{cursor.fetchone()[0]}"
        cursor.execute(
            """
            SELECT %(base)s || '/' || name FROM pg_ls_dir(%(base)s) AS name
            WHERE position(%(needle)s IN pg_read_binary_file(%(base)s || '/' || name, 0, 268435456, true)) > 0
            """,
            {"base": base, "needle": needle},
        )
        found = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT 'pg_wal/' || name FROM pg_ls_waldir()
            WHERE length(name) = 24 AND substr(name, 9) >= substr(%(first)s, 9)
              AND position(%(needle)s IN pg_read_binary_file('pg_wal/' || name, 0, 268435456, true)) > 0
            """,
            {"first": wal_since, "needle": needle},
        )
        return found + [row[0] for row in cursor.fetchall()]


@pytest.fixture
def wal_start(postgres) -> str:
    """The WAL segment being written when the test began."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_walfile_name(pg_current_wal_lsn())")
        return cursor.fetchone()[0]


@pytest.fixture
def canary_of_its_own(monkeypatch):
    """A canary no other test wrote: the scan reads raw WAL segments, and PostgreSQL reuses old
    segment files under new names, so text another test of this run wrote (in clear, sealed or
    as a form post) can sit in a segment this test then scans."""
    monkeypatch.setattr(sys.modules[__name__], "CANARY", f"KANARIE-{secrets.token_hex(6)}-WAL")


def test_after_close_no_plaintext_canary_is_in_the_database_files_or_the_wal(
    canary_of_its_own, wal_start, client, group, planted
):
    isession, _sent = planted
    # The scan sees text stored in clear, so finding nothing below means something.
    TakeawayFactory(title=CONTROL)
    assert _files_holding(CONTROL, wal_since=wal_start)

    client.force_login(group.facilitator)
    response = client.post(
        f"/intervision/sessions/{isession.session_id}/close/", {"theme": "Grenzen stellen"}
    )

    assert response.status_code == 302
    assert IntervisionSession.objects.get(pk=isession.pk).state == "closed"
    assert _files_holding(CANARY, wal_since=wal_start) == []


@pytest.fixture
def organisation_webhook(db):
    """An organisation-wide webhook for every event, in place before the session runs."""
    from api.models import WEBHOOK_EVENTS  # noqa: PLC0415 -- slow
    from api.webhooks.services import webhook_endpoint_create  # noqa: PLC0415 -- slow

    return webhook_endpoint_create(
        actor=StaffFactory(), url="http://127.0.0.1:9/hook", events=list(WEBHOOK_EVENTS)
    )


def test_canary_reaches_no_api_answer_or_webhook_payload(organisation_webhook, group, planted):
    from api.models import WebhookDelivery  # noqa: PLC0415 -- slow
    from tests.api.conftest import make_token  # noqa: PLC0415 -- slow

    isession, _sent = planted
    member = group.members[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_token(member)}"}
    api = Client()
    for url in (
        "/api/v1/sessions/",
        f"/api/v1/sessions/{isession.session_id}/",
        "/api/v1/me/agenda/",
        f"/api/v1/communities/{group.community.slug}/",
        f"/api/v1/takeaways/?q={CANARY}",
    ):
        response = api.get(url, **headers)
        assert response.status_code == 200, url
        assert CANARY.encode() not in response.content, url
    payloads = list(WebhookDelivery.objects.values_list("payload", flat=True))
    assert payloads  # the run made events (sessions, answers), so the check bites
    assert CANARY not in repr(payloads)
