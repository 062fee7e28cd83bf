"""Render a message in one language, as subject + plain text + HTML.

Templates live under ``templates/mail/``: ``<name>_subject.txt``, ``<name>.txt`` and
``<name>.html``; both bodies extend a base that carries the site's name. Rendering happens when a
message is enqueued, under the recipient's language, so what is stored is exactly what is sent.

The subject and the plain-text body are text, not HTML: they render without autoescaping, so a
title such as ``Data & AI`` reads ``Data & AI`` and not ``Data &amp; AI``. The HTML part keeps
Django's escaping.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template import Context
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


def render_message(*, template: str, context: dict, language: str) -> RenderedMessage:
    full_context = mail_context(context)
    with translation.override(language):
        subject = render_text(f"mail/{template}_subject.txt", full_context)
        text = render_text(f"mail/{template}.txt", full_context)
        html = render_to_string(f"mail/{template}.html", full_context)
    return RenderedMessage(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)


def html_from_text(*, text: str, subject: str, language: str) -> str:
    """Wrap a plain-text body (e.g. allauth's account mails) in the site's HTML mail layout."""
    body = mark_safe(linebreaks(urlize(escape(text), nofollow=True)))  # noqa: S308 - escaped above
    with translation.override(language):
        return render_to_string(
            "mail/wrapped_text.html", mail_context({"body": body, "subject": subject})
        )
