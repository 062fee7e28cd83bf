"""API fixtures: tokens per person and scope, a client that sends them, a real webhook receiver."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.tokens.services import api_token_create
from tests.api.receiver import WebhookReceiver


def make_token(user, scopes=("read", "rsvp", "manage"), **kwargs) -> str:
    return api_token_create(
        user=user,
        name=kwargs.pop("name", "test"),
        scopes=list(scopes),
        expires_at=kwargs.pop("expires_at", timezone.now() + timedelta(days=30)),
        **kwargs,
    ).secret


@pytest.fixture
def api():
    """``api(user, scopes)`` is an APIClient that authenticates with a fresh token."""

    def client(user=None, scopes=("read", "rsvp", "manage")) -> APIClient:
        c = APIClient()
        if user is not None:
            c.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, scopes)}")
        return c

    return client


@pytest.fixture
def receiver():
    server = WebhookReceiver().start()
    yield server
    server.stop()
