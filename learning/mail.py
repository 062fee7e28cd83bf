"""Render this app's mail (subject + plain text; the outbox wraps the HTML) in one language."""

from django.utils import translation

from communities.mail.rendering import RenderedMessage, mail_context, render_text


def render_plain(*, template: str, context: dict, language: str) -> RenderedMessage:
    """``templates/mail/<template>_subject.txt`` and ``<template>.txt``, in ``language``."""
    full = mail_context(context)
    with translation.override(language):
        subject = render_text(f"mail/{template}_subject.txt", full)
        text = render_text(f"mail/{template}.txt", full)
    return RenderedMessage(subject=" ".join(subject.split()), text=text.strip() + "\n", html="")
