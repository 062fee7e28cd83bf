"""8-bit mail on the wire, against a real SMTP server (aiosmtpd): the outbox's backend declares
BODY=8BITMIME to a server that offers it, and sends quoted-printable (7-bit clean) to one that
does not. The text read back is the same either way."""

from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives, get_connection

from tests import services

BODY = "Café-sessie: Ångström & co. — 🎉\n" + "é" * 200 + "\n"


class SevenBitHandler(services.RecordingHandler):
    """A server that does not offer 8BITMIME."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return [line for line in responses if "8BITMIME" not in line]


@pytest.fixture
def seven_bit_server():
    handler = SevenBitHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=services.free_port())
    controller.start()
    yield controller
    controller.stop()


def send(port: int) -> None:
    connection = get_connection(
        "communities.mail.backends.EmailBackend", host="127.0.0.1", port=port, use_tls=False
    )
    message = EmailMultiAlternatives(
        subject="Uitnodiging: Café", body=BODY, from_email="kp@example.org",
        to=["anna@example.org"], connection=connection,
    )  # fmt: skip
    message.attach_alternative(f"<p>{BODY}</p>", "text/html")
    assert connection.send_messages([message]) == 1


def text_parts(raw: bytes) -> list[tuple[str, str]]:
    mail = message_from_bytes(raw)
    return [
        (
            part["Content-Transfer-Encoding"],
            part.get_payload(decode=True).decode().replace("\r\n", "\n"),
        )
        for part in mail.walk()
        if not part.is_multipart()
    ]


def test_declares_8bitmime_when_the_server_offers_it(smtp_server):
    send(smtp_server.port)
    [envelope] = smtp_server.handler.envelopes
    assert [o for o in envelope.mail_options if o.startswith("BODY=")] == ["BODY=8BITMIME"]
    assert text_parts(envelope.original_content) == [
        ("8bit", BODY),
        ("8bit", f"<p>{BODY}</p>"),
    ]


def test_sends_quoted_printable_to_a_seven_bit_server(seven_bit_server):
    send(seven_bit_server.port)
    [envelope] = seven_bit_server.handler.envelopes
    assert [o for o in envelope.mail_options if o.startswith("BODY=")] == []
    assert max(envelope.original_content) < 128  # 7-bit clean on the wire
    assert text_parts(envelope.original_content) == [
        ("quoted-printable", BODY),
        ("quoted-printable", f"<p>{BODY}</p>"),
    ]
