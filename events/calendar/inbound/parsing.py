"""Read a calendar reply out of one raw e-mail: bytes in, a ParsedMail out. Pure.

Never raises: anything unexpected (broken MIME, a NUL byte, unknown charsets, no calendar part, several
different calendars, a method other than REPLY or COUNTER, no or several attendees) becomes a
``problem`` with a short reason, and nothing else is read. Outlook, Gmail and Apple Mail put the
calendar in different places (an alternative part, an attachment, both): every ``text/calendar``
or ``application/ics`` part is considered, and copies of the same calendar count once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import Message

from icalendar import Calendar

CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar")
PARTSTATS = ("ACCEPTED", "DECLINED", "TENTATIVE")
MAX_CALENDAR_BYTES = 512 * 1024


@dataclass(frozen=True)
class ParsedReply:
    method: str  # REPLY or COUNTER
    uid: str
    recurrence_id: datetime | None
    sequence: int
    attendee: str  # the attendee's address, lower case
    partstat: str
    prodid: str
    delegated_to: str = ""  # PARTSTAT=DELEGATED: the colleague's address, lower case


@dataclass
class ParsedMail:
    message_id: str = ""
    recipients: list[str] = field(default_factory=list)
    sender: str = ""
    replies: list[ParsedReply] = field(default_factory=list)
    problem: str = ""

    @property
    def fingerprint(self) -> str:
        """A stable id of the mail for de-duplication, without keeping the Message-ID itself."""
        return hashlib.sha256(self.message_id.encode("utf-8", "replace")).hexdigest()[:32]


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name, "")
        return str(value or "")
    except Exception:  # a header the policy cannot parse
        return ""


def _all_headers(message: Message, name: str) -> list[str]:
    try:
        return [str(value) for value in (message.get_all(name) or [])]
    except Exception:
        return []


def _calendar_payloads(message: Message) -> list[bytes]:
    payloads = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() not in CALENDAR_TYPES:
            continue
        data = part.get_payload(decode=True)
        if not data or len(data) > MAX_CALENDAR_BYTES:
            continue
        payloads.append(data)
    return payloads


def _text(data: bytes, charset: str | None = None) -> str:
    for encoding in filter(None, (charset, "utf-8", "cp1252", "latin-1")):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _moment(value) -> datetime | None:
    if value is None:
        return None
    moment = value.dt
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(moment, date):
        return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return None


def _address(value) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _replies(calendar: Calendar) -> tuple[list[ParsedReply], str]:
    method = str(calendar.get("METHOD", "")).upper()
    if method not in ("REPLY", "COUNTER"):
        return [], f"method {method or 'missing'} is not a reply"
    prodid = str(calendar.get("PRODID", ""))[:120]
    replies = []
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "")).strip()
        attendees = event.get("ATTENDEE")
        if attendees is None:
            return [], "no attendee"
        if isinstance(attendees, list):
            # A delegation (RFC 5546 §4.2.5) may name the delegate too: the delegator answers.
            delegators = [
                a for a in attendees if str(a.params.get("PARTSTAT", "")).upper() == "DELEGATED"
            ]
            if len(delegators) == 1:
                attendees = delegators
            if len(attendees) != 1:
                return [], "a reply must carry exactly one attendee"
            attendees = attendees[0]
        partstat = str(attendees.params.get("PARTSTAT", "")).upper()
        delegated_to = _address(str(attendees.params.get("DELEGATED-TO", "")).strip('"'))
        try:
            sequence = int(event.get("SEQUENCE", 0))
        except (TypeError, ValueError):
            return [], "unreadable SEQUENCE"
        if not uid or len(uid) > 255:
            return [], "no usable UID"
        replies.append(
            ParsedReply(
                method=method,
                uid=uid,
                recurrence_id=_moment(event.get("RECURRENCE-ID")),
                sequence=max(sequence, 0),
                attendee=_address(attendees),
                partstat=partstat,
                prodid=prodid,
                delegated_to=delegated_to if partstat == "DELEGATED" else "",
            )
        )
    if not replies:
        return [], "no event in the calendar"
    return replies, ""


def parse_mail(raw: bytes, *, max_bytes: int = 5 * 1024 * 1024) -> ParsedMail:
    """The reply (or replies, one per instance) in a raw message; ``problem`` says why not."""
    parsed = ParsedMail()
    try:
        if len(raw) > max_bytes:
            parsed.problem = "message too large"
            return parsed
        message = message_from_bytes(raw, policy=policy.compat32)
        parsed.message_id = _header(message, "Message-ID").strip()[:500]
        parsed.sender = _header(message, "From")[:500]
        for name in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"):
            parsed.recipients += [value[:2000] for value in _all_headers(message, name)]
        payloads = _calendar_payloads(message)
        if not payloads:
            parsed.problem = "no calendar in the message"
            return parsed
        calendars = {}
        for data in payloads:
            text = _text(data)
            key = "".join(text.split())  # the same calendar inline and as invite.ics
            calendars.setdefault(key, text)
        if len(calendars) > 1:
            parsed.problem = "several different calendars in one message"
            return parsed
        (text,) = calendars.values()
        try:
            components = Calendar.from_ical(text, multiple=True)
        except Exception:
            parsed.problem = "unreadable calendar"
            return parsed
        if not components:
            parsed.problem = "unreadable calendar"
            return parsed
        if len(components) > 1:
            parsed.problem = "several calendars in one part"
            return parsed
        parsed.replies, parsed.problem = _replies(components[0])
    except Exception as error:  # never let a mail crash the reader
        parsed.replies = []
        parsed.problem = f"unreadable message ({type(error).__name__})"
    return _without_nul(parsed)


def _without_nul(parsed: ParsedMail) -> ParsedMail:
    """A NUL byte anywhere we read (PostgreSQL text cannot hold one) rejects the mail."""
    texts = [parsed.message_id, parsed.sender, *parsed.recipients]
    for reply in parsed.replies:
        texts += [reply.uid, reply.attendee, reply.partstat, reply.prodid, reply.method]
    if any("\x00" in text for text in texts):
        parsed.message_id = parsed.message_id.replace("\x00", "")
        parsed.sender, parsed.recipients, parsed.replies = "", [], []
        parsed.problem = "a NUL byte in the message"
    return parsed
