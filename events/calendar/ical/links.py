""" "Add to calendar" links for web calendars: data in, URLs out.

Google Calendar's event template and Outlook on the web's compose deeplink take the event in the
query string; both get UTC times, so no time zone can be misread. Desktop clients use the .ics
download (PUBLISH) next to these links.
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode

from events.calendar.ical.feed import FeedEvent

# Browsers and Google refuse very long URLs; the description is cut (the page link stays).
MAX_DETAILS = 1000


def _details(event: FeedEvent) -> str:
    text = event.description[:MAX_DETAILS]
    if len(event.description) > MAX_DETAILS:
        text += "…"
    return f"{text}\n\n{event.url}".strip()


def google_calendar_link(event: FeedEvent) -> str:
    stamp = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": event.summary,
        "dates": f"{event.start.astimezone(UTC).strftime(stamp)}/"
        f"{event.end.astimezone(UTC).strftime(stamp)}",
        "details": _details(event),
        "location": event.location,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_web_link(event: FeedEvent, *, office365: bool = True) -> str:
    host = "outlook.office.com" if office365 else "outlook.live.com"
    iso = "%Y-%m-%dT%H:%M:%SZ"
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.summary,
        "startdt": event.start.astimezone(UTC).strftime(iso),
        "enddt": event.end.astimezone(UTC).strftime(iso),
        "body": _details(event),
        "location": event.location,
    }
    return f"https://{host}/calendar/0/deeplink/compose?" + urlencode(query)
