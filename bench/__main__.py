"""``python -m bench``: run the benchmarks on a throw-away database and print the figures.

    python -m bench                  # every scenario at the default scale
    python -m bench --only outbox    # one scenario (repeatable)
    python -m bench --scale 1        # a quick, small run

DATABASE_URL chooses the engine: unset or SQLite → temporary SQLite files; PostgreSQL → a
separate ``kennisplein_bench`` database on that server (``BENCH_DATABASE_NAME``), dropped
afterwards. The run migrates once; every scenario then starts on a fresh copy of the migrated,
empty database, so no scenario sees another's data. Results are printed per figure, then as a
summary (scenario, floor, measured, ratio, goal, verdict), and written as JSON under
``bench/results/``. Scenarios that need PostgreSQL are skipped on SQLite, unless asked for with
``--only``: then the run stops. A scenario that fails is reported as failed, the others still run,
and the exit status is 1.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench import database

RESULTS = Path(__file__).resolve().parent / "results"
SCENARIO_NAMES = [
    "outbox",
    "memory",
    "listing",
    "rsvp_http",
    "feed",
    "reminders",
    "takeaways",
    "festival",
    "scale",
    "api",
    "questions",
    "pairing",
    "coalescing",
    "scim",
]
NEEDS_POSTGRESQL = {"rsvp_http", "reminders", "takeaways", "scale", "questions"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only",
        action="append",
        choices=SCENARIO_NAMES,
        metavar="NAME",
        help=f"run only this scenario ({', '.join(SCENARIO_NAMES)}); may be repeated",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=10,
        metavar="N",
        help="size multiplier: N×200 outbox messages, listings up to N×1,000, takeaway search"
        " N×1,000 → N×10,000 (default 10; rsvp_http has a fixed size)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="R", help="timed repetitions (median; default 3)"
    )
    parser.add_argument("--seed", type=int, default=20250101, help="random seed for the data")
    args = parser.parse_args(argv)
    if args.scale < 1 or args.repeat < 1:
        parser.error("--scale and --repeat must be at least 1")
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def print_table(figures) -> None:
    from bench.measure import format_value  # noqa: PLC0415 -- startup

    width = max(len(figure.name) for figure in figures)
    values = [
        (
            figure,
            f"{format_value(figure.value, figure.unit)} {figure.unit}",
            f"{format_value(figure.baseline, figure.unit)} {figure.unit}",
        )
        for figure in figures
    ]
    value_width = max(len(value) for _, value, _ in values)
    base_width = max(len(base) for _, _, base in values)
    print(flush=True)
    for figure, value, base in values:
        print(
            f"{figure.name:<{width}}  {value:>{value_width}}  baseline {base:>{base_width}}"
            f"  ratio {figure.ratio:6.2f}  {figure.note}"
        )
    print(flush=True)


def print_summary(figures) -> None:
    """One line per figure: scenario, floor, measured, ratio, goal and verdict."""
    from bench.measure import format_value  # noqa: PLC0415 -- startup

    header = ("scenario", "floor", "measured", "ratio", "goal", "verdict")
    lines = [
        (
            figure.name,
            f"{format_value(figure.baseline, figure.unit)} {figure.unit}",
            f"{format_value(figure.value, figure.unit)} {figure.unit}",
            f"{figure.ratio:.2f}",
            figure.goal_text or "–",
            figure.verdict or "–",
        )
        for figure in figures
    ]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    print("Summary", flush=True)
    for row in [header, *lines]:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells), flush=True)
    goals = [figure for figure in figures if figure.goal is not None]
    met = sum(1 for figure in goals if figure.verdict == "met")
    print(f"goals met: {met} of {len(goals)}", flush=True)
    print(flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    asked = sorted(NEEDS_POSTGRESQL.intersection(args.only or []))
    if asked and not database.is_postgresql():
        log(
            f"bench: {', '.join(asked)} needs PostgreSQL; set DATABASE_URL to a PostgreSQL"
            " server, e.g. postgres://postgres@127.0.0.1:5432/test"
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    bench_database = database.prepare()
    try:
        return run(args, bench_database)
    finally:
        from django.db import connections  # noqa: PLC0415 -- startup

        connections.close_all()
        bench_database.cleanup()


def run(args: argparse.Namespace, bench_database: database.BenchDatabase) -> int:
    import django  # noqa: PLC0415 -- startup

    django.setup()
    from django.conf import settings  # noqa: PLC0415 -- startup
    from django.core.management import call_command  # noqa: PLC0415 -- startup
    from django.db import connection, connections  # noqa: PLC0415 -- startup

    from bench.measure import Context, Skipped  # noqa: PLC0415 -- startup
    from bench.scenarios import SCENARIOS  # noqa: PLC0415 -- startup

    # Every scenario sends through Django's in-memory backend, whatever EMAIL_URL says.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    log(f"bench: {bench_database.description}; migrating")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    connections.close_all()
    bench_database.keep_as_template()
    log(f"bench: migrated in {time.perf_counter() - started:.1f}s")

    context = Context(scale=args.scale, repeat=args.repeat, seed=args.seed, log=log)
    names = [name for name in SCENARIO_NAMES if not args.only or name in args.only]
    figures, timings, skipped, failed = [], {}, {}, {}
    for name in names:
        connections.close_all()
        bench_database.fresh()  # every scenario on its own, empty, migrated database
        started = time.perf_counter()
        try:
            figures += SCENARIOS[name](context)
        except Skipped as reason:
            skipped[name] = str(reason)
            log(f"bench: {name} skipped: {reason}")
            continue
        except Exception as error:  # reported, and the run exits with 1
            failed[name] = f"{type(error).__name__}: {error}"
            log(f"bench: {name} FAILED: {failed[name]}")
            log(traceback.format_exc())
            continue
        timings[name] = round(time.perf_counter() - started, 2)
        log(f"bench: {name} done in {timings[name]:.1f}s")

    if figures:
        print_table(figures)
        print_summary(figures)
    for name, reason in skipped.items():
        print(f"{name}: skipped ({reason})")
    for name, reason in failed.items():
        print(f"{name}: FAILED ({reason})")
    stamp = datetime.now(UTC)
    result = {
        "when": stamp.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": {
            "vendor": connection.vendor,
            "version": ".".join(str(part) for part in connection.get_database_version()),
        },
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "scale": args.scale,
        "repeat": args.repeat,
        "seed": args.seed,
        "scenarios": [name for name in names if name not in skipped],
        "skipped": skipped,
        "failed": failed,
        "scenario_seconds": timings,
        "figures": [figure.as_dict() for figure in figures],
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{stamp:%Y%m%dT%H%M%SZ}-{connection.vendor}-scale{args.scale}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results written to {path.relative_to(RESULTS.parent.parent)}")

    status = 1 if failed else 0
    growing = [f.name for f in figures if f.details.get("query_count_constant") is False]
    if growing:
        log(f"bench: query count grows with the data in {', '.join(growing)}")
        status = 1
    wrong = [f.name for f in figures if f.details.get("correct") is False]
    if wrong:
        log(f"bench: wrong results (see the note) in {', '.join(wrong)}")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
