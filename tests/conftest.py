"""Suite-wide fixtures: users per role, real services (PostgreSQL, Redis, SMTP) and their rules.

With CI=true a missing PostgreSQL, Redis or Chromium fails the test that needs it; elsewhere
the test is skipped with the reason.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache

from tests import services
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread (ARCHITECTURE.md, known traps).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (feed bytes, insights, rate limits are kept there)."""
    cache.clear()
    yield


@pytest.fixture
def member(db):
    return UserFactory(email="member@example.org", display_name="Mia Member")


@pytest.fixture
def other_user(db):
    return UserFactory(email="other@example.org", display_name="Otto Other")


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@example.org", display_name="Sam Staff")


@pytest.fixture
def community(db):
    return CommunityFactory(name="Python-gilde", slug="python-gilde")


@pytest.fixture
def private_community(db):
    return CommunityFactory(
        name="Security Champions",
        slug="security-champions",
        visibility="private",
        join_policy="invite",
    )


@pytest.fixture
def coordinator(db, community, private_community):
    user = UserFactory(email="coordinator@example.org", display_name="Cora Coordinator")
    MembershipFactory(user=user, community=community, role="coordinator")
    MembershipFactory(user=user, community=private_community, role="coordinator")
    return user


@pytest.fixture
def postgres(db):
    """The test database must be PostgreSQL (row locks, skip_locked, real concurrency)."""
    services.require_postgres()


@pytest.fixture
def redis_url():
    return services.require_redis()


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback that records what it accepts."""
    server = services.SmtpSink()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def imap_server():
    """A real IMAP server (dovecot) on loopback with one empty mailbox. Its directory must be
    readable by dovecot's own users (pytest's tmp_path is private to us)."""

    root = Path(tempfile.mkdtemp(prefix="kp-dovecot-"))
    root.chmod(0o755)
    server = services.DovecotServer(root)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)
