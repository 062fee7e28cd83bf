"""Throttling counts per token in the shared Redis cache: one token's burst does not slow another."""

import pytest
from django.core.cache.backends.redis import RedisCache

from api.rest.throttling import TokenRateThrottle


@pytest.fixture
def redis_throttle(redis_url, monkeypatch):
    cache = RedisCache(redis_url, {"KEY_PREFIX": "kp-throttle-test"})
    cache.clear()
    monkeypatch.setattr(TokenRateThrottle, "cache", cache)
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    yield cache
    cache.clear()


def test_each_token_has_its_own_budget_on_redis(api, member, redis_throttle, db):
    first, second = api(member), api(member)
    assert [first.get("/api/v1/communities/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/api/v1/communities/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["type"] == "https://kennisplein.invalid/problems/throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert second.get("/api/v1/communities/").status_code == 200
    # The counters are in Redis, where every web process sees them.
    assert any(
        b"throttle_token_token:" in key for key in redis_throttle._cache.get_client().keys("*")
    )
