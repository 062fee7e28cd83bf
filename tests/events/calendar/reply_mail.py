"""Calendar replies in the shapes real clients send them, written from their documented
formats: Outlook (desktop and on the web, Exchange), Gmail / Google Calendar and Apple Mail.

Each builder returns the raw bytes of one e-mail with a METHOD:REPLY calendar carrying exactly
one ATTENDEE with its PARTSTAT, the client's own PRODID and, for Outlook, its X-MICROSOFT-CDO-*
properties.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

CRLF = "\r\n"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def reply_calendar(
    *,
    uid: str,
    attendee: str,
    partstat: str,
    sequence: int,
    organizer: str,
    prodid: str,
    recurrence_id: datetime | None = None,
    method: str = "REPLY",
    name: str = "Anna",
    extra: tuple[str, ...] = (),
) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{prodid}",
        "VERSION:2.0",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f'ATTENDEE;PARTSTAT={partstat};CN="{name}":mailto:{attendee}',
        f"ORGANIZER:mailto:{organizer}",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        "DTSTAMP:20260220T101500Z",
        "DTSTART:20260304T110000Z",
        "DTEND:20260304T120000Z",
        "SUMMARY:Accepted: the session",
    ]
    if recurrence_id is not None:
        lines.append(f"RECURRENCE-ID:{_stamp(recurrence_id)}")
    lines += list(extra)
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return CRLF.join(lines) + CRLF


def _headers(*, sender: str, to: str, subject: str, message_id: str) -> list[str]:
    return [
        f"From: Anna <{sender}>",
        f"To: {to}",
        f"Subject: {subject}",
        f"Message-ID: <{message_id}>",
        "Date: Fri, 20 Feb 2026 11:15:00 +0100",
        "MIME-Version: 1.0",
    ]


def outlook_desktop(*, to: str, sender: str, message_id: str = "outlook-1@example.net",
                    **calendar) -> bytes:  # fmt: skip
    """Outlook / Exchange: multipart/alternative, text/plain + text/calendar (base64)."""
    ics = reply_calendar(
        prodid="Microsoft Exchange Server 2010",
        extra=(
            "X-MICROSOFT-CDO-APPT-SEQUENCE:" + str(calendar.get("sequence", 0)),
            "X-MICROSOFT-CDO-OWNERAPPTID:2117908812",
            "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
            "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY",
            "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
            "X-MICROSOFT-CDO-IMPORTANCE:1",
            "X-MICROSOFT-CDO-INSTTYPE:0",
        ),
        **calendar,
    )
    boundary = "_000_AM0PR07MB0001"
    body = _headers(sender=sender, to=to, subject="Accepted: the session", message_id=message_id)
    body += [
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="us-ascii"',
        "",
        "",
        f"--{boundary}",
        'Content-Type: text/calendar; charset="utf-8"; method=REPLY',
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(ics.encode()).decode().replace("\n", CRLF).rstrip(),
        f"--{boundary}--",
        "",
    ]
    return CRLF.join(body).encode()


def outlook_web(*, to: str, sender: str, message_id: str = "owa-1@example.net",
                **calendar) -> bytes:  # fmt: skip
    """Outlook on the web: text/html + text/calendar, quoted-printable."""
    ics = reply_calendar(prodid="Microsoft Exchange Server 2010",
                         extra=("X-MICROSOFT-CDO-OWNERAPPTID:-1",), **calendar)  # fmt: skip
    boundary = "_002_DB9PR0"
    body = _headers(sender=sender, to=to, subject="Accepted: the session", message_id=message_id)
    body += [
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "",
        f"--{boundary}",
        'Content-Type: text/html; charset="utf-8"',
        "",
        "<html><body></body></html>",
        f"--{boundary}",
        'Content-Type: text/calendar; charset="utf-8"; method=REPLY',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        ics.replace("=", "=3D"),
        f"--{boundary}--",
        "",
    ]
    return CRLF.join(body).encode()


def gmail(*, to: str, sender: str, message_id: str = "CAGmail-1@mail.gmail.com",
          **calendar) -> bytes:  # fmt: skip
    """Gmail: multipart/mixed → alternative (plain, html, text/calendar) + invite.ics."""
    ics = reply_calendar(prodid="-//Google Inc//Google Calendar 70.9054//EN", **calendar)
    encoded = base64.encodebytes(ics.encode()).decode().replace("\n", CRLF).rstrip()
    outer, inner = "000000000000aaaa", "000000000000bbbb"
    body = _headers(
        sender=sender, to=to, subject="Accepted: the session @ Wed 4 Mar", message_id=message_id
    )
    body += [
        f'Content-Type: multipart/mixed; boundary="{outer}"',
        "",
        f"--{outer}",
        f'Content-Type: multipart/alternative; boundary="{inner}"',
        "",
        f"--{inner}",
        'Content-Type: text/plain; charset="UTF-8"',
        "",
        "Anna has accepted this invitation.",
        f"--{inner}",
        'Content-Type: text/html; charset="UTF-8"',
        "",
        "<p>Anna has accepted this invitation.</p>",
        f"--{inner}",
        'Content-Type: text/calendar; charset="UTF-8"; method=REPLY',
        "Content-Transfer-Encoding: base64",
        "",
        encoded,
        f"--{inner}--",
        f"--{outer}",
        'Content-Type: application/ics; name="invite.ics"',
        'Content-Disposition: attachment; filename="invite.ics"',
        "Content-Transfer-Encoding: base64",
        "",
        encoded,
        f"--{outer}--",
        "",
    ]
    return CRLF.join(body).encode()


def apple_mail(*, to: str, sender: str, message_id: str = "apple-1@icloud.com",
               **calendar) -> bytes:  # fmt: skip
    """Apple Mail / Calendar: multipart/mixed, text/plain + the calendar as an attachment."""
    ics = reply_calendar(prodid="-//Apple Inc.//macOS 14.2//EN", **calendar)
    boundary = "Apple-Mail=_5D6C"
    body = _headers(sender=sender, to=to, subject="Invitation: the session (Accepted)",
                    message_id=message_id)  # fmt: skip
    body += [
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Anna accepted.",
        f"--{boundary}",
        "Content-Type: text/calendar; charset=utf-8; method=REPLY; name=iCal-20260220.ics",
        "Content-Disposition: attachment; filename=iCal-20260220.ics",
        "Content-Transfer-Encoding: 7bit",
        "",
        ics.rstrip(),
        f"--{boundary}--",
        "",
    ]
    return CRLF.join(body).encode()


CLIENTS = {
    "outlook-desktop": outlook_desktop,
    "outlook-web": outlook_web,
    "gmail": gmail,
    "apple-mail": apple_mail,
}
