"""A tiny, separate Django project: a real OpenID Connect provider for the SSO tests.

django-oauth-toolkit with OIDC enabled and an RS256 key made at test time, run in a second
process on 127.0.0.1 with its own settings and its own SQLite database (``serve.py``). The tests
start it through ``OidcProvider`` (``process.py``) and drive its login page with ``requests``.
"""
