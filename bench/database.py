"""Throw-away databases for one benchmark run, arranged before Django is set up.

Every scenario runs on its own fresh data: the run migrates one database once, keeps it as a
template, and before each scenario replaces the working database with a copy of the template
(``fresh()``), so no scenario sees another's rows (slugs, sessions, outbox rows).

SQLite (``DATABASE_URL`` unset or ``sqlite://…``): files in a temporary directory, removed
afterwards; a fresh copy is a file copy. PostgreSQL: a database (``kennisplein_bench`` unless
``BENCH_DATABASE_NAME`` says otherwise) and its template ``<name>_template`` created on the server
``DATABASE_URL`` points at and dropped afterwards; a fresh copy is ``CREATE DATABASE … TEMPLATE``.
The database named in ``DATABASE_URL`` itself is never written to.
"""

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
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


@dataclass
class BenchDatabase:
    """Where the run's data lives and how to make it fresh again.

    ``keep_as_template()`` once after migrating; ``fresh()`` before each scenario (the caller
    closes Django's connections first); ``cleanup()`` at the end, after Django closed them.
    """

    description: str
    keep_as_template: Callable[[], None]
    fresh: Callable[[], None]
    cleanup: Callable[[], None]


def prepare() -> BenchDatabase:
    """Point ``DATABASE_URL`` at a new, empty database. Call before ``django.setup()``."""
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme
    if scheme in POSTGRES_SCHEMES:
        return _prepare_postgresql(url)
    if scheme not in ("", "sqlite"):
        raise SystemExit(
            f"bench: unsupported DATABASE_URL scheme {scheme!r} (SQLite or PostgreSQL)"
        )
    return _prepare_sqlite()


def _prepare_postgresql(url: str) -> BenchDatabase:
    name = os.environ.get("BENCH_DATABASE_NAME", DEFAULT_BENCH_DATABASE)
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"BENCH_DATABASE_NAME must be a plain identifier, not {name!r}")
    template = f"{name}_template"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    drop_template = f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'
    _admin_execute(url, [drop, drop_template, f'CREATE DATABASE "{name}"'])
    parts = urlsplit(url)
    os.environ["DATABASE_URL"] = urlunsplit(
        (parts.scheme, parts.netloc, f"/{name}", parts.query, "")
    )

    def keep_as_template() -> None:
        _admin_execute(url, [drop_template, f'CREATE DATABASE "{template}" TEMPLATE "{name}"'])

    def fresh() -> None:
        _admin_execute(url, [drop, f'CREATE DATABASE "{name}" TEMPLATE "{template}"'])

    def cleanup() -> None:
        _admin_execute(url, [drop, drop_template])

    return BenchDatabase(
        f"PostgreSQL database {name} on {parts.hostname} (fresh from {template} per scenario)",
        keep_as_template,
        fresh,
        cleanup,
    )


def _prepare_sqlite() -> BenchDatabase:
    directory = Path(tempfile.mkdtemp(prefix="kennisplein-bench-"))
    path = directory / "bench.sqlite3"
    template = directory / "template.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    def remove_working_files() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def keep_as_template() -> None:
        # The backup API folds the WAL into one consistent file.
        with sqlite3.connect(path) as source, sqlite3.connect(template) as target:
            source.backup(target)

    def fresh() -> None:
        remove_working_files()
        shutil.copyfile(template, path)

    def cleanup() -> None:
        shutil.rmtree(directory, ignore_errors=True)

    return BenchDatabase(
        f"SQLite file {path} (fresh copy per scenario)", keep_as_template, fresh, cleanup
    )
