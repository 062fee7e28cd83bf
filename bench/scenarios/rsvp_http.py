"""RSVP throughput through the real HTTP stack: gunicorn + PostgreSQL, 50 concurrent clients on
one popular session, vs a trivial view (``GET /bench/constant/``: a constant through the same
middleware, ``bench.urls``) from the same clients on the same server.

The bench starts gunicorn (``config/gunicorn.conf.py``, 4 sync workers) on a free loopback port
against the bench database. The session has 100 seats, 90 of them already taken, so most of the
50 clients end up on the waitlist. Each client is its own signed-in person (a database session
made here, its cookie handed to the client); it fetches the session page once (untimed) for its
CSRF token, then answers ``declined`` / ``going`` alternately, 30 times, through the htmx POST
the page's buttons send. Every answer takes the session lock; a going person declining promotes
the first in line (with an outbox message). The baseline is the same 50 clients, same cookies,
each making 30 ``GET /bench/constant/`` (session + user lookup through the same middleware,
nothing else), once before and once after the RSVPs, counted together. Earlier runs used
``/healthz``, whose database and broker round trips flattered the ratio about 2×.

Figures: requests/s and p50 / p95 latency. Clients are closed-loop (each waits for its answer
before sending the next), and 50 clients share 4 workers, so latency includes queueing. A round
stops at its time limit (40 s for the RSVPs) even if not every request was made; the note says
how many were. After the run the scenario checks the result: going ≤ capacity, unique waitlist
positions, no free seat while people wait, one row per client, each row matching that client's
last answer. PostgreSQL only (the lock is a row lock).
"""

import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.utils import timezone

from bench.generators import make_people
from bench.measure import Context, Figure, Skipped
from communities.mail.models import OutboxMessage
from communities.models import Community
from events.models import Rsvp, Session

PROJECT = Path(__file__).resolve().parents[2]
CLIENTS = 50
REQUESTS_PER_CLIENT = 30  # 1,500 RSVP requests; an even count, so everyone's last answer is going
WORKERS = 4
CAPACITY = 100
CROWD = 90  # people already going before the clients come: 10 free seats for 50 clients
TRIVIAL_PATH = "/bench/constant/"  # bench.urls: a constant through the same middleware
START_TIMEOUT = 30  # seconds for gunicorn to answer /healthz
RSVP_DEADLINE = 40  # seconds for the RSVP round; a round cut short says so
BASELINE_DEADLINE = 15  # seconds for each baseline round
REQUEST_TIMEOUT = 30
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Client:
    """One signed-in person: the cookies and form token a browser would hold."""

    user_id: int
    cookie: str
    csrf_token: str = ""
    last_answer: str | None = None  # None: not answered yet, or the last answer went wrong


@dataclass
class Round:
    """One load round: every request's latency, the unexpected answers and the wall time."""

    latencies: list[float] = field(default_factory=list)
    unexpected: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    cut_short: bool = False

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else float("nan")

    def plus(self, other: "Round") -> "Round":
        """Both rounds as one: their requests over their summed wall time."""
        return Round(
            latencies=self.latencies + other.latencies,
            unexpected=self.unexpected + other.unexpected,
            seconds=self.seconds + other.seconds,
            cut_short=self.cut_short or other.cut_short,
        )

    def summary(self) -> str:
        return (
            f"{self.count:,} in {self.seconds:.1f}s: {self.rate:,.0f} req/s,"
            f" p50 {self.percentile_ms(50):.1f} ms, p95 {self.percentile_ms(95):.1f} ms"
            + (" (cut short)" if self.cut_short else "")
        )

    def percentile_ms(self, percent: int) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1] * 1000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_request(
    port: int, method: str, path: str, *, headers: dict, body: str | None = None
) -> tuple[int, float, http.client.HTTPResponse, bytes]:
    """One request on a fresh connection (gunicorn's sync workers close it after each answer)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, time.perf_counter() - started, response, data
    finally:
        conn.close()


class Gunicorn:
    """gunicorn as a subprocess on a free loopback port; its output goes to a temporary file."""

    def __init__(self):
        self.port = free_port()
        self.output = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in stop)
            prefix="kennisplein-bench-gunicorn-", suffix=".log", delete=False
        )
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.conf.py",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
            ],
            cwd=PROJECT,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}\n{self.tail()}")
            try:
                status, *_ = http_request(self.port, "GET", "/healthz", headers={})
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {START_TIMEOUT}s\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        self.output.flush()
        text = Path(self.output.name).read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.output.close()
        Path(self.output.name).unlink(missing_ok=True)


def signed_in_cookie(user) -> str:
    """A database session for ``user`` as ``django.contrib.auth.login`` would leave it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def make_popular_session(rng: random.Random) -> tuple[Session, list[Client]]:
    crowd = make_people(CROWD, rng=rng, prefix="http-crowd")
    people = make_people(CLIENTS, rng=rng, prefix="http-client")
    community = Community.objects.create(
        name="Python Gilde (bench)",
        slug="bench-http-python",
        kind=Community.Kind.GUILD,
        purpose="Kennis delen en van elkaar leren.",
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.OPEN,
    )
    start = (timezone.now() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    session = Session.objects.create(
        community=community,
        format=Session.Format.WORKSHOP,
        title="Workshop: async Django in de praktijk",
        description="Een **volle** workshop: wie te laat is, komt op de wachtlijst.",
        start=start,
        end=start + timedelta(hours=2),
        location="Zaal 1",
        capacity=CAPACITY,
        uid="bench-http-session@kennisplein",
    )
    Rsvp.objects.bulk_create(
        Rsvp(session=session, user=person, status=Rsvp.Status.GOING) for person in crowd
    )
    clients = [Client(user_id=person.pk, cookie=signed_in_cookie(person)) for person in people]
    return session, clients


def fetch_csrf(port: int, session: Session, client: Client) -> None:
    """GET the session page as the person (untimed): the CSRF cookie and the form's token."""
    status, _, response, body = http_request(
        port, "GET", f"/sessions/{session.pk}/", headers={"Cookie": client.cookie}
    )
    if status != 200:
        raise RuntimeError(
            f"GET /sessions/{session.pk}/ answered {status} for user {client.user_id}"
            f" ({response.getheader('Location', '')}): is the session cookie accepted?"
        )
    cookies = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = CSRF_INPUT.search(body.decode())
    if settings.CSRF_COOKIE_NAME not in cookies or token is None:
        raise RuntimeError("the session page set no CSRF cookie or has no RSVP form")
    client.cookie += f"; {settings.CSRF_COOKIE_NAME}={cookies[settings.CSRF_COOKIE_NAME].value}"
    client.csrf_token = token.group(1)


def run_round(
    clients: list[Client],
    one_request: Callable[[Client, int], tuple[int, float, str]],
    *,
    deadline_seconds: float,
) -> Round:
    """Every client makes REQUESTS_PER_CLIENT requests one after the other, all clients at
    once; stops early (and says so) after ``deadline_seconds``."""
    result = Round()
    lock = threading.Lock()
    go = threading.Event()
    deadline = [0.0]

    def client_loop(client: Client) -> None:
        go.wait(timeout=30)
        for index in range(REQUESTS_PER_CLIENT):
            if time.perf_counter() > deadline[0]:
                with lock:
                    result.cut_short = True
                return
            try:
                status, seconds, problem = one_request(client, index)
            except OSError as error:
                with lock:
                    result.unexpected[type(error).__name__] += 1
                continue
            with lock:
                result.latencies.append(seconds)
                if problem:
                    result.unexpected[f"{status} {problem}"] += 1

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = [pool.submit(client_loop, client) for client in clients]
        time.sleep(0.2)  # let every thread reach the starting line
        started = time.perf_counter()
        deadline[0] = started + deadline_seconds
        go.set()
        for future in futures:
            future.result()
        result.seconds = time.perf_counter() - started
    return result


def check_result(session: Session, clients: list[Client]) -> dict:
    """The invariants after the storm, and every client's row matches its last answer (going
    → going or waitlisted; all clients answered going last unless the round was cut short)."""
    rsvps = list(Rsvp.objects.filter(session=session).values("user_id", "status", "position"))
    by_status = Counter(row["status"] for row in rsvps)
    going = by_status[Rsvp.Status.GOING]
    positions = [row["position"] for row in rsvps if row["status"] == Rsvp.Status.WAITLISTED]
    client_ids = {client.user_id for client in clients}
    client_rows = Counter(row["user_id"] for row in rsvps if row["user_id"] in client_ids)
    status_of = {row["user_id"]: row["status"] for row in rsvps}
    held = {Rsvp.Status.GOING: {Rsvp.Status.GOING, Rsvp.Status.WAITLISTED}}
    answered = [client for client in clients if client.last_answer is not None]
    checks = {
        "going_within_capacity": going <= CAPACITY,
        "waitlist_positions_unique": None not in positions
        and len(set(positions)) == len(positions),
        "no_free_seat_while_waiting": not positions or going == CAPACITY,
        "one_row_per_client": set(client_rows) == client_ids
        and all(count == 1 for count in client_rows.values()),
        "rows_match_last_answers": all(
            status_of.get(client.user_id) in held.get(client.last_answer, {client.last_answer})
            for client in answered
        ),
    }
    return {
        "going": going,
        "waitlisted": len(positions),
        "declined": by_status[Rsvp.Status.DECLINED],
        "clients_checked": len(answered),
        "promotion_mails": OutboxMessage.objects.filter(kind="waitlist_promoted").count(),
        "checks": checks,
        "correct": all(checks.values()),
    }


def mark(ok: bool) -> str:
    return "ok" if ok else "FAILED"


def run(context: Context) -> list[Figure]:
    if connection.vendor != "postgresql":
        raise Skipped(f"needs PostgreSQL, the database is {connection.vendor}")
    rng = random.Random(context.seed + 3)
    session, clients = make_popular_session(rng)
    rsvp_path = f"/sessions/{session.pk}/rsvp/"

    server = Gunicorn()
    try:
        server.wait_ready()
        port = server.port
        origin = f"http://127.0.0.1:{port}"
        context.log(
            f"rsvp_http: gunicorn ({WORKERS} workers) on port {port}; {CLIENTS} clients,"
            f" capacity {CAPACITY} with {CROWD} going"
        )
        for client in clients:  # also warms every worker up (imports, templates, connections)
            fetch_csrf(port, session, client)

        def trivial(client: Client, index: int) -> tuple[int, float, str]:
            status, seconds, _, _ = http_request(
                port, "GET", TRIVIAL_PATH, headers={"Cookie": client.cookie}
            )
            return status, seconds, "" if status == 200 else "trivial"

        def rsvp(client: Client, index: int) -> tuple[int, float, str]:
            answer = Rsvp.Status.DECLINED if index % 2 == 0 else Rsvp.Status.GOING
            client.last_answer = None  # unknown until the answer is back
            body = urlencode({"csrfmiddlewaretoken": client.csrf_token, "status": answer})
            status, seconds, _, data = http_request(
                port,
                "POST",
                rsvp_path,
                body=body,
                headers={
                    # What htmx sends for the panel's buttons; later Set-Cookie headers (the
                    # flash message) are dropped, as if the page had been reloaded meanwhile.
                    "Cookie": client.cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": origin,
                    "HX-Request": "true",
                },
            )
            ok = status == 200 and b'id="rsvp-panel"' in data
            if ok:
                client.last_answer = answer
            return status, seconds, "" if ok else "rsvp"

        # The baseline runs before and after the RSVPs and counts as one round, so a change in
        # the machine's load during the run weighs on both sides of the ratio.
        context.log(f"rsvp_http: baseline, {CLIENTS}×{REQUESTS_PER_CLIENT} GET {TRIVIAL_PATH}")
        before = run_round(clients, trivial, deadline_seconds=BASELINE_DEADLINE)
        context.log(f"  {before.summary()}")
        context.log(f"rsvp_http: {CLIENTS}×{REQUESTS_PER_CLIENT} POST {rsvp_path}")
        measured = run_round(clients, rsvp, deadline_seconds=RSVP_DEADLINE)
        context.log(f"  {measured.summary()}")
        context.log(
            f"rsvp_http: baseline again, {CLIENTS}×{REQUESTS_PER_CLIENT} GET {TRIVIAL_PATH}"
        )
        after = run_round(clients, trivial, deadline_seconds=BASELINE_DEADLINE)
        context.log(f"  {after.summary()}")
        baseline = before.plus(after)
    finally:
        server.stop()

    outcome = check_result(session, clients)
    verdict = "correct" if outcome["correct"] else "WRONG"
    checks = outcome["checks"]
    context.log(
        f"rsvp_http: check {verdict}: going {outcome['going']} of capacity {CAPACITY}"
        f" ({mark(checks['going_within_capacity'])}), {outcome['waitlisted']} waitlisted,"
        f" positions unique ({mark(checks['waitlist_positions_unique'])}),"
        f" no free seat while people wait ({mark(checks['no_free_seat_while_waiting'])}),"
        f" one row per client ({mark(checks['one_row_per_client'])}), rows match the last"
        f" answer of {outcome['clients_checked']} clients"
        f" ({mark(checks['rows_match_last_answers'])});"
        f" {outcome['promotion_mails']} promotion mails queued"
    )
    unexpected = {"rsvp": dict(measured.unexpected), "trivial": dict(baseline.unexpected)}
    for name, counts in unexpected.items():
        if counts:
            context.log(f"rsvp_http: unexpected {name} answers: {counts}")
    cut = [name for name, r in (("rsvp", measured), ("trivial", baseline)) if r.cut_short]

    planned = CLIENTS * REQUESTS_PER_CLIENT
    note = (
        f"{measured.count:,}/{planned:,} POSTs, {CLIENTS} clients, {WORKERS} workers vs GET"
        f" {TRIVIAL_PATH}; going {outcome['going']}/{CAPACITY}, {outcome['waitlisted']} waitlisted:"
        f" {verdict}"
    )
    if any(unexpected.values()):
        note += " — UNEXPECTED ANSWERS"
    if cut:
        note += f" — time limit reached ({', '.join(cut)})"
    details = {
        "clients": CLIENTS,
        "workers": WORKERS,
        "capacity": CAPACITY,
        "crowd_going": CROWD,
        "requests": measured.count,
        "baseline_requests": baseline.count,
        "seconds": measured.seconds,
        "baseline_seconds": baseline.seconds,
        "baseline_before_rate": before.rate,
        "baseline_after_rate": after.rate,
        "unexpected": unexpected,
        "cut_short": cut,
        **outcome,
        "correct": outcome["correct"] and not any(unexpected.values()),
    }
    return [
        Figure(
            "rsvp_http.throughput",
            measured.rate,
            baseline.rate,
            "req/s",
            note=note,
            details=details,
            goal=(">=", 0.3),
        ),
        Figure(
            "rsvp_http.p50",
            measured.percentile_ms(50),
            baseline.percentile_ms(50),
            "ms",
            note="median latency, queueing included",
        ),
        Figure(
            "rsvp_http.p95",
            measured.percentile_ms(95),
            baseline.percentile_ms(95),
            "ms",
            note="95th percentile latency",
            goal=("<=", 10),
        ),
    ]
