"""allauth adapter: account mail (verification, password reset) goes through the outbox."""

import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from communities.models import User
from events.notifications.rendering import RenderedMessage
from events.services.outbox import outbox_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's mail in the recipient's language and hand it to the outbox.

        The send task is kicked right after commit so a verification mail does not wait for
        the next minute's sweep; if the broker is down the sweep still sends it.
        """
        from events.tasks import outbox_sweep

        recipient = User.objects.filter(email__iexact=email).first()
        language = (
            recipient.language
            if recipient
            else translation.get_language() or settings.LANGUAGE_CODE
        )
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        rendered = RenderedMessage(subject=message.subject, text=message.body, html=html)
        fingerprint = hashlib.sha256(
            f"{email}\n{rendered.subject}\n{rendered.text}".encode()
        ).hexdigest()[:40]
        outbox_enqueue(
            dedupe_key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{fingerprint}",
            kind="account",
            rendered=rendered,
            recipient=recipient,
            to_email=email,
            language=language,
        )
        outbox_sweep.delay_on_commit()

    def confirm_email(self, request, email_address) -> bool:
        """After the first confirmation, welcome the person (once: the dedupe key is per user)."""
        from events.tasks import outbox_sweep

        confirmed = super().confirm_email(request, email_address)
        user = email_address.user
        if confirmed and user is not None:
            outbox_enqueue(
                dedupe_key=f"welcome:{user.pk}",
                kind="welcome",
                template="welcome",
                recipient=user,
            )
            outbox_sweep.delay_on_commit()
        return confirmed
