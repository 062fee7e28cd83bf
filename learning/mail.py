"""Render this app's mail (subject + plain text; the outbox wraps the HTML) in one language.

``MailMould`` renders a template once with placeholders where the per-person parts go and fills
them by string replacement, so a pairing round of thousands renders each template once per
language (and shape) instead of once per person. Filling gives the same subject, text and HTML
as rendering the message for that person (tests/learning/test_pairing_bulk.py checks it).
"""

from django.utils import translation
from django.utils.html import escape, urlize

from communities.mail.rendering import RenderedMessage, html_from_text, mail_context, render_text

# U+2063 (invisible separator) around a slot's name: no template, translation, escaping,
# ``linebreaks`` or ``urlize`` changes it, and it never occurs in a name or an address.
_MARK = "\u2063"


def render_plain(*, template: str, context: dict, language: str) -> RenderedMessage:
    """``templates/mail/<template>_subject.txt`` and ``<template>.txt``, in ``language``."""
    full = mail_context(context)
    with translation.override(language):
        subject = render_text(f"mail/{template}_subject.txt", full)
        text = render_text(f"mail/{template}.txt", full)
    return RenderedMessage(subject=" ".join(subject.split()), text=text.strip() + "\n", html="")


def slot(name: str) -> str:
    """The placeholder that ``MailMould.fill`` replaces with the value of ``name``."""
    return f"{_MARK}{name}{_MARK}"


class MailMould:
    """A message rendered once (``render_plain`` + the outbox's HTML wrapping) with ``slot``
    placeholders in its context, filled per person with ``fill``."""

    def __init__(self, *, template: str, context: dict, language: str) -> None:
        rendered = render_plain(template=template, context=context, language=language)
        self.language = language
        self.subject = rendered.subject
        self.text = rendered.text
        self.html = html_from_text(text=rendered.text, subject=rendered.subject, language=language)

    def fill(self, values: dict[str, str]) -> RenderedMessage:
        """The message with every slot replaced: as-is in the subject and the text, escaped
        (and linked, as the wrapping does with addresses) in the HTML."""
        subject, text, html = self.subject, self.text, self.html
        for name, value in values.items():
            value = " ".join(str(value).split())
            mark = slot(name)
            subject = subject.replace(mark, value)
            text = text.replace(mark, value)
            html = html.replace(mark, urlize(escape(value), nofollow=True))
        return RenderedMessage(subject=subject, text=text, html=html)
