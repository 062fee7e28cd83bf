"""A throw-away database for one benchmark run, arranged before Django is set up.

SQLite (``DATABASE_URL`` unset or ``sqlite://…``): a fresh file in a temporary directory, removed
afterwards. PostgreSQL: a separate database (``kennisplein_bench`` unless ``BENCH_DATABASE_NAME``
says otherwise) created on the server ``DATABASE_URL`` points at and dropped afterwards; the
database named in ``DATABASE_URL`` itself is never written to.
"""

import os
import shutil
import tempfile
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import psycopg

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
DEFAULT_BENCH_DATABASE = "kennisplein_bench"


def _libpq_url(url: str, *, dbname: str) -> str:
    """The URL with another database name, in a scheme libpq understands."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, f"/{dbname}", parts.query, ""))


def _admin_execute(url: str, statements: list[str]) -> None:
    """Run statements in autocommit on the server, from the URL's database or ``postgres``."""

    original = urlsplit(url).path.lstrip("/") or "postgres"
    last_error: Exception | None = None
    for dbname in dict.fromkeys([original, "postgres"]):
        try:
            with psycopg.connect(_libpq_url(url, dbname=dbname), autocommit=True) as connection:
                for statement in statements:
                    connection.execute(statement)
            return
        except psycopg.OperationalError as error:  # that database may not exist: try the next
            last_error = error
    raise RuntimeError(f"cannot reach PostgreSQL at {urlsplit(url).netloc}: {last_error}")


def is_postgresql() -> bool:
    """Whether ``DATABASE_URL`` points at PostgreSQL (before ``prepare`` or Django setup)."""
    return urlsplit(os.environ.get("DATABASE_URL", "")).scheme in POSTGRES_SCHEMES


def prepare() -> tuple[str, Callable[[], None]]:
    """Point ``DATABASE_URL`` at a fresh, empty database; return a description and a cleanup.

    Call before ``django.setup()``. The cleanup must run after Django closed its connections.
    """
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme
    if scheme in POSTGRES_SCHEMES:
        name = os.environ.get("BENCH_DATABASE_NAME", DEFAULT_BENCH_DATABASE)
        if not name.replace("_", "").isalnum():
            raise SystemExit(f"BENCH_DATABASE_NAME must be a plain identifier, not {name!r}")
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        _admin_execute(url, [drop, f'CREATE DATABASE "{name}"'])
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(
            (parts.scheme, parts.netloc, f"/{name}", parts.query, "")
        )

        def cleanup() -> None:
            _admin_execute(url, [drop])

        return f"PostgreSQL database {name} on {parts.hostname}", cleanup

    if scheme not in ("", "sqlite"):
        raise SystemExit(
            f"bench: unsupported DATABASE_URL scheme {scheme!r} (SQLite or PostgreSQL)"
        )
    directory = tempfile.mkdtemp(prefix="kennisplein-bench-")
    path = os.path.join(directory, "bench.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    def cleanup() -> None:
        shutil.rmtree(directory, ignore_errors=True)

    return f"SQLite file {path}", cleanup
