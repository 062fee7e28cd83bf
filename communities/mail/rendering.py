"""Render a message in one language, as subject + plain text + HTML.

Templates live under ``templates/mail/``: ``<name>_subject.txt``, ``<name>.txt`` and
``<name>.html``; both bodies extend a base that carries the site's name. Rendering happens when a
message is enqueued, under the recipient's language, so what is stored is exactly what is sent.

The subject and the plain-text body are text, not HTML: they render without autoescaping, so a
title such as ``Data & AI`` reads ``Data & AI`` and not ``Data &amp; AI``. The HTML part keeps
Django's escaping.
"""

from collections.abc import Hashable
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import mark_safe

from communities.organisation import organisation_settings


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def mail_context(context: dict) -> dict:
    return {"SITE_NAME": organisation_settings().name, "SITE_URL": settings.SITE_URL, **context}


def render_text(name: str, context: dict) -> str:
    """A text template (subject, text/plain) rendered without HTML escaping."""
    return get_template(name).template.render(Context(context, autoescape=False))


def _render_parts(
    template: str, context: dict, language: str, *, plain_ok: bool = False
) -> tuple[str, str, str]:
    """Subject, text and HTML; with ``plain_ok`` a template without an HTML part gives ""."""
    with translation.override(language):
        subject = render_text(f"mail/{template}_subject.txt", context)
        text = render_text(f"mail/{template}.txt", context)
        try:
            html = render_to_string(f"mail/{template}.html", context)
        except TemplateDoesNotExist:
            if not plain_ok:
                raise
            html = ""
    return subject, text, html


def _finished(subject: str, text: str, html: str) -> RenderedMessage:
    return RenderedMessage(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)


def render_message(*, template: str, context: dict, language: str) -> RenderedMessage:
    return _finished(*_render_parts(template, mail_context(context), language))


# Stands for the recipient's name in a shared rendering; letters only, so escaping, line
# folding and translation leave it as it is.
_NAME_MARK = "KpRecipientNameMark"


class _StandIn:
    """The recipient as a shared rendering sees it: a name mark and a timezone. Reading any
    other attribute marks the rendering as personal (it is then done per person)."""

    def __init__(self, timezone: str) -> None:
        self.name = _NAME_MARK
        self.timezone = timezone
        self.personal = False

    def __str__(self) -> str:  # as User.__str__: the name
        return _NAME_MARK

    def __getattr__(self, attribute: str):
        self.personal = True
        raise AttributeError(attribute)


class SharedRenderer:
    """Render many messages that differ only in their recipient's name.

    ``render()`` renders a template once per (template, language, recipient's timezone,
    ``share_key``), with a mark for the name, and fills each recipient's name into the
    stored parts (escaped in the HTML). The caller's ``share_key`` must name everything
    else in the context that differs between messages. A template that reads anything else
    of the recipient is rendered per person; so is a name the template does not show as
    written. The result is the same bytes as ``render_message`` (a template without an HTML
    part gives an empty ``html``, as ``learning.mail.render_plain``).
    """

    def __init__(self) -> None:
        self._site = mail_context({})
        self._shared: dict[Hashable, tuple[str, str, str] | None] = {}

    def render(
        self, *, template: str, context: dict, recipient, language: str, share_key: Hashable
    ) -> RenderedMessage:
        key = (template, language, recipient.timezone, share_key)
        if key not in self._shared:
            stand_in = _StandIn(recipient.timezone)
            shared_context = {**self._site, **context, "recipient": stand_in}
            parts = _render_parts(template, shared_context, language, plain_ok=True)
            self._shared[key] = None if stand_in.personal else parts
        parts = self._shared[key]
        if parts is None or _NAME_MARK in recipient.name:
            context = {**self._site, **context, "recipient": recipient}
            return _finished(*_render_parts(template, context, language, plain_ok=True))
        subject, text, html = parts
        name = recipient.name
        return _finished(
            subject.replace(_NAME_MARK, name),
            text.replace(_NAME_MARK, name),
            html.replace(_NAME_MARK, escape(name)),
        )


def html_from_text(*, text: str, subject: str, language: str) -> str:
    """Wrap a plain-text body (e.g. allauth's account mails) in the site's HTML mail layout."""
    body = mark_safe(linebreaks(urlize(escape(text), nofollow=True)))  # noqa: S308 - escaped above
    with translation.override(language):
        return render_to_string(
            "mail/wrapped_text.html", mail_context({"body": body, "subject": subject})
        )
