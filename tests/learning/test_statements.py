"""The learning record and signed statements: hours per form of learning, CSV, a PDF that holds
the expected hours and never an intervision case, its theme, its group or its other members
(the canary), and verification that rejects a changed token or a changed statement."""

import contextlib
import csv
import io
import re
import zlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import signing

from events.models import Session
from intervision.services.closing import intervision_session_close
from intervision.services.live import attendance_defaults
from learning.record.models import Statement
from learning.record.selectors import learning_lines
from learning.record.services import statement_issue
from learning.record.signing import SALT, statement_token
from learning.shadowing.services import (
    shadowing_book,
    shadowing_offer_create,
    shadowing_slot_add,
)
from tests.factories import CaseFactory, MembershipFactory, RsvpFactory, SessionFactory
from tests.intervision.conftest import CANARY, make_group

pytestmark = pytest.mark.django_db
GROUP_NAME = "Intervisie Jeugdzorg Geheim-5c1e"


def pdf_text(content: bytes) -> str:
    """The text an fpdf2 PDF draws (its page streams are deflated)."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        with contextlib.suppress(zlib.error):
            stream = zlib.decompress(stream)
        chunks += [m.decode("latin-1") for m in re.findall(rb"\((.*?)(?<!\\)\) ?Tj", stream)]
    return " ".join(chunks).replace("\\(", "(").replace("\\)", ")")


@pytest.fixture
def learned(team, time_machine):
    """Nina's year: a brown bag (1.5 h), an intervision session (2 h, a case with the canary
    and a kept theme with it), a shadowing day (7 h) and a completed journey."""
    time_machine.move_to(datetime(2027, 3, 1, 9, tzinfo=UTC), tick=False)
    brown_bag = SessionFactory(
        community=team.community, title="Brown bag: gesprekstechniek", hosts=[team.cora],
        start=datetime(2027, 3, 2, 11, tzinfo=UTC), end=datetime(2027, 3, 2, 12, 30, tzinfo=UTC),
    )  # fmt: skip
    RsvpFactory(session=brown_bag, user=team.nina, status="going")

    group = make_group(name=GROUP_NAME, slug="intervisie-geheim")
    MembershipFactory(user=team.nina, community=group.community)
    isession = group.schedule(days=1)
    CaseFactory(
        group=group.community, isession=isession, presenter=group.members[2],
        title=f"Casus {CANARY}", question=f"Hoe ga ik om met {CANARY}?", pitch=CANARY,
    )  # fmt: skip
    attendance_defaults(isession)
    intervision_session_close(isession_id=isession.pk, actor=group.facilitator, theme=CANARY)
    Session.objects.filter(pk=isession.session_id).update(
        start=datetime(2027, 3, 3, 13, tzinfo=UTC), end=datetime(2027, 3, 3, 15, tzinfo=UTC)
    )

    offer = shadowing_offer_create(
        host=team.sara, team="Wijkteam Zuid", title="Een dag in Zuid", description="d",
        location="Stadskantoor",
    )  # fmt: skip
    day = datetime(2027, 3, 4, 8, tzinfo=UTC)
    slot = shadowing_slot_add(
        offer_id=offer.pk, actor=team.sara, start=day, end=day + timedelta(hours=7), capacity=2,
        zone="Europe/Amsterdam",
    )  # fmt: skip
    shadowing_book(slot_id=slot.pk, user=team.nina)

    time_machine.move_to(datetime(2027, 3, 10, 9, tzinfo=UTC), tick=False)
    return group


def test_the_record_has_every_form_of_learning_with_its_hours(team, learned):
    lines = [
        (line.date, line.hours, line.form, line.title, line.facilitator)
        for line in learning_lines(team.nina)
    ]
    assert lines == [
        (
            date(2027, 3, 2),
            Decimal("1.50"),
            "session",
            "Brown bag: gesprekstechniek",
            "Cora Coördinator",
        ),
        (date(2027, 3, 3), Decimal("2.00"), "intervision", "Kollegiale Beratung (Tietze)", "Fleur"),
        (date(2027, 3, 4), Decimal("7.00"), "shadowing", "Een dag in Zuid", "Sara Supervisor"),
    ]


def test_the_record_page_and_csv(client, team, learned):
    client.force_login(team.nina)
    page = client.get("/me/learning/").text
    assert "<td>10,50</td>" in page  # the 2027 total, as Dutch writes it
    rows = list(csv.reader(io.StringIO(client.get("/me/learning/record.csv").text)))
    assert rows == [
        ["datum", "uren", "leervorm", "titel", "gespreksleider"],
        ["2027-03-02", "1.50", "kennissessie", "Brown bag: gesprekstechniek", "Cora Coördinator"],
        ["2027-03-03", "2.00", "intervisie", "Kollegiale Beratung (Tietze)", "Fleur"],
        ["2027-03-04", "7.00", "meelopen", "Een dag in Zuid", "Sara Supervisor"],
    ]


def test_the_statement_pdf_has_the_hours_and_no_case_group_or_other_members(client, team, learned):
    client.force_login(team.nina)
    response = client.post(
        "/me/learning/statements/", {"period_start": "2027-01-01", "period_end": "2027-12-31"}
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.total_hours == Decimal("10.50")
    response = client.get(f"/me/learning/statements/{statement.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.")
    text = pdf_text(response.content)
    assert "Verklaring van leeruren" in text
    assert "Nina Nieuw" in text
    assert "10,50" in text and "1,50" in text and "7,00" in text
    assert "Fleur" in text  # the facilitator's name is what a register asks for
    drawn = text + " " + str(statement.lines)
    for secret in (CANARY, "KANARIE", GROUP_NAME, "Geheim"):
        assert secret not in drawn + response.content.decode("latin-1"), secret
    others = {m.name for m in learned.members[1:]}  # Bas, Cas, Dewi, Eva, Finn
    assert others.isdisjoint(re.findall(r"\w+", drawn))


def test_a_statement_covers_its_period_only(team, learned):
    statement = statement_issue(
        user=team.nina, period_start=date(2027, 3, 3), period_end=date(2027, 3, 3)
    )
    assert [line["form"] for line in statement.lines] == ["intervision"]
    assert statement.total_hours == Decimal("2.00")


def test_verification_shows_a_genuine_statement(client, team, learned):
    statement = statement_issue(
        user=team.nina, period_start=date(2027, 1, 1), period_end=date(2027, 12, 31)
    )
    token = statement_token(public_id=str(statement.public_id), digest=statement.digest)
    response = client.get(f"/statements/{token}/")  # no account needed
    assert response.status_code == 200
    assert '<dd id="total-hours">10,50</dd>' in response.text
    assert "Deze verklaring is echt" in response.text


def tampered(token: str) -> list[str]:
    head, _sep, signature = token.rpartition(":")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [f"{head}:{flipped}", token[:-1], token + "x", "abc", token.replace(":", ":x", 1)]


def test_verification_rejects_a_tampered_token(client, team, learned):
    statement = statement_issue(
        user=team.nina, period_start=date(2027, 1, 1), period_end=date(2027, 12, 31)
    )
    token = statement_token(public_id=str(statement.public_id), digest=statement.digest)
    for wrong in tampered(token):
        response = client.get(f"/statements/{wrong}/")
        assert response.status_code == 404, wrong
        assert "Verklaring niet geldig" in response.text
    forged = signing.dumps({"s": str(statement.public_id), "d": "0" * 64}, salt=SALT, compress=True)
    assert client.get(f"/statements/{forged}/").status_code == 404  # right key, wrong digest
    other_salt = signing.dumps({"s": str(statement.public_id), "d": statement.digest}, salt="x")
    assert client.get(f"/statements/{other_salt}/").status_code == 404


def test_verification_rejects_a_statement_changed_in_the_database(client, team, learned):
    statement = statement_issue(
        user=team.nina, period_start=date(2027, 1, 1), period_end=date(2027, 12, 31)
    )
    token = statement_token(public_id=str(statement.public_id), digest=statement.digest)
    Statement.objects.filter(pk=statement.pk).update(total_hours=Decimal("99.00"))
    assert client.get(f"/statements/{token}/").status_code == 404


def test_a_statement_of_an_erased_person_no_longer_verifies(client, team, learned):
    statement = statement_issue(
        user=team.nina, period_start=date(2027, 1, 1), period_end=date(2027, 12, 31)
    )
    token = statement_token(public_id=str(statement.public_id), digest=statement.digest)
    team.nina.delete()
    assert client.get(f"/statements/{token}/").status_code == 404


def test_another_persons_statement_pdf_is_not_found(client, team, learned):
    statement = statement_issue(
        user=team.nina, period_start=date(2027, 1, 1), period_end=date(2027, 12, 31)
    )
    client.force_login(team.bob)
    assert client.get(f"/me/learning/statements/{statement.pk}.pdf").status_code == 404


def test_the_statement_in_english(client, team, learned):
    team.nina.language = "en"
    team.nina.save(update_fields=["language"])
    statement = statement_issue(
        user=team.nina, period_start=date(2027, 1, 1), period_end=date(2027, 12, 31)
    )
    client.force_login(team.nina)
    text = pdf_text(client.get(f"/me/learning/statements/{statement.pk}.pdf").content)
    assert "Statement of learning hours" in text
    assert "intervision (peer consultation)" in text


@pytest.mark.parametrize(
    ("start", "end"), [("2027-02-01", "2027-01-01"), ("2010-01-01", "2027-01-01"), ("x", "")]
)
def test_a_bad_period_makes_no_statement(client, team, learned, start, end):
    client.force_login(team.nina)
    response = client.post("/me/learning/statements/", {"period_start": start, "period_end": end})
    assert response.status_code == 302
    assert Statement.objects.count() == 0
