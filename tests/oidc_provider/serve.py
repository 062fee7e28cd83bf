"""Run the test OpenID Connect provider: ``python -m tests.oidc_provider.serve <port>``.

Creates its SQLite database, the people from ``OIDC_PROVIDER_PEOPLE`` (JSON) and the Kennisplein
client application, prints ``ready`` and serves on 127.0.0.1 until terminated.
"""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def seed() -> None:
    from django.contrib.auth.models import User  # noqa: PLC0415 -- startup
    from oauth2_provider.models import Application  # noqa: PLC0415 -- startup

    from tests.oidc_provider.validators import people  # noqa: PLC0415 -- startup

    for person in people().values():
        User.objects.create_user(username=person["username"], password=person["password"])
    Application.objects.create(
        name="Kennisplein",
        client_id=os.environ["OIDC_PROVIDER_CLIENT_ID"],
        client_secret=os.environ["OIDC_PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_PROVIDER_REDIRECT_URIS"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


def main() -> None:
    port = int(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django  # noqa: PLC0415 -- startup

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 -- startup
    from django.core.wsgi import get_wsgi_application  # noqa: PLC0415 -- startup

    call_command("migrate", verbosity=0, interactive=False)
    seed()
    server = make_server(
        "127.0.0.1",
        port,
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
