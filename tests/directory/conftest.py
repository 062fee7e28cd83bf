"""Directory sync fixtures: a directory token made by staff (``staff`` from tests/conftest.py), and a client that calls
/scim/v2/ with it."""

import json

import pytest
from django.test import Client

from directory.services.tokens import directory_token_create

SCIM = "application/scim+json"


class ScimClient:
    def __init__(self, secret: str):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def _send(self, method: str, path: str, body=None, **headers):
        kwargs = {}
        if body is not None:
            kwargs = {
                "data": body if isinstance(body, (str, bytes)) else json.dumps(body),
                "content_type": SCIM,
            }
        return getattr(self.client, method)(f"/scim/v2/{path}", **kwargs, **self.headers, **headers)

    def get(self, path, **headers):
        return self._send("get", path, **headers)

    def post(self, path, body, **headers):
        return self._send("post", path, body, **headers)

    def put(self, path, body, **headers):
        return self._send("put", path, body, **headers)

    def patch(self, path, body, **headers):
        return self._send("patch", path, body, **headers)

    def delete(self, path, **headers):
        return self._send("delete", path, **headers)


@pytest.fixture
def token(staff):
    return directory_token_create(actor=staff, name="Entra ID")


@pytest.fixture
def scim(token):
    return ScimClient(token.secret)
