"""allauth adapters: who may enter, and how.

- Account mail (verification, password reset, security notices) goes through the outbox.
- Sign-up: only from the organisation's allowed e-mail domains; optionally staff approve new
  accounts before they get in; "SSO only" closes password sign-up and login (staff keep a
  password login as a fallback for when the identity provider is down).
- Single sign-on: one OpenID Connect provider, configured from the environment or from the
  organisation settings, restricted to the organisation's tenant(s).
- MFA: the TOTP issuer is the organisation; staff cannot remove their last second factor.
"""

import hashlib
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.crypto import MFA_PURPOSE, secret_decrypt, secret_encrypt
from communities.extensions import sso_logged_in, sso_match
from communities.mail.rendering import RenderedMessage
from communities.mail.services import outbox_enqueue
from communities.mail.tasks import outbox_sweep
from communities.models import User
from communities.organisation import organisation_settings
from communities.services.accounts import approval_request_notify

logger = logging.getLogger(__name__)

# The one OpenID Connect provider's id: its URLs are /accounts/oidc/sso/login/ and
# /accounts/oidc/sso/login/callback/ (register the latter at the identity provider).
SSO_PROVIDER_ID = "sso"


def domain_refusal_message(domains) -> str:
    return gettext(
        "Sign-up is only open to addresses of this organisation (%(domains)s). "
        "Use your work e-mail address."
    ) % {"domains": ", ".join(f"@{domain}" for domain in domains)}


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The client's own address behind the trusted proxies (login limits count per client);
        a request carrying fewer forwarded hops than configured (one that did not come through
        the proxies) counts as the address it came from instead of failing."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning("login limits: fewer X-Forwarded-For hops than trusted proxies")
            return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 -- an address, not a bind

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's mail in the recipient's language and hand it to the outbox.

        The send task is kicked right after commit so a verification mail does not wait for
        the next minute's sweep; if the broker is down the sweep still sends it.
        """

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

    def format_email_subject(self, subject: str) -> str:
        return f"[{organisation_settings().name}] {subject}"

    def confirm_email(self, request, email_address) -> bool:
        """After the first confirmation, welcome the person (once: the dedupe key is per user),
        or, when staff approve new accounts, tell staff someone is waiting."""

        confirmed = super().confirm_email(request, email_address)
        user = email_address.user
        if confirmed and user is not None:
            if user.awaiting_approval:
                approval_request_notify(user=user)
            else:
                outbox_enqueue(
                    dedupe_key=f"welcome:{user.pk}",
                    kind="welcome",
                    template="welcome",
                    recipient=user,
                )
            outbox_sweep.delay_on_commit()
        return confirmed

    # --- who may sign up ---------------------------------------------------------------------

    def is_open_for_signup(self, request) -> bool:
        """Password sign-up is closed when the organisation uses single sign-on only."""
        return not organisation_settings().sso_only

    def clean_email(self, email: str) -> str:
        """Only addresses in the organisation's allowed domains (when it lists any)."""
        email = super().clean_email(email)
        organisation = organisation_settings()
        if not organisation.allows_signup_domain(email):
            raise forms.ValidationError(
                domain_refusal_message(organisation.allowed_signup_domains),
                code="domain_not_allowed",
            )
        return email

    def new_user(self, request):
        """A new person starts in the language they signed up in and the organisation's time
        zone; when staff approve new accounts, they wait for that."""
        user = super().new_user(request)
        organisation = organisation_settings()
        language = translation.get_language() or organisation.default_language
        if language not in dict(settings.LANGUAGES):
            language = organisation.default_language
        user.language = language
        user.timezone = organisation.default_timezone
        user.awaiting_approval = organisation.signup_requires_approval
        return user

    # --- who may log in ----------------------------------------------------------------------

    def pre_login(self, request, user, **kwargs):
        """Refuse people waiting for approval, and password logins in SSO-only mode (staff
        excepted: their fallback when the identity provider is down)."""

        response = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        if getattr(user, "awaiting_approval", False) and _has_verified_address(user):
            # Unverified: the verification stage comes first (it sends the mail).
            clear_login(request)
            return redirect("signup_pending")
        signal_kwargs = kwargs.get("signal_kwargs") or {}
        if (
            organisation_settings().sso_only
            and "sociallogin" not in signal_kwargs
            and not user.is_staff
        ):
            clear_login(request)
            messages.error(request, gettext("This organisation signs in with single sign-on only."))
            return redirect("account_login")
        return None

    def post_login(self, request, user, **kwargs):
        """A login resumed after e-mail verification skips ``pre_login``: a person still
        waiting for approval is logged out again here."""
        if getattr(user, "awaiting_approval", False):
            self.logout(request)
            return redirect("signup_pending")
        return super().post_login(request, user, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on with the organisation's OpenID Connect provider."""

    def list_apps(self, request, provider=None, client_id=None):
        """The provider comes from the environment or the organisation settings, never from
        allauth's SocialApp table (keeping one source of truth)."""

        sso = organisation_settings().sso
        if sso is None:
            return []
        if provider not in (None, "openid_connect", SSO_PROVIDER_ID):
            return []
        if client_id and client_id != sso.client_id:
            return []
        app = SocialApp(
            provider="openid_connect",
            provider_id=SSO_PROVIDER_ID,
            name=sso.name or gettext("Single sign-on"),
            client_id=sso.client_id,
            secret=sso.client_secret,
            settings={"server_url": sso.issuer, "oauth_pkce_enabled": True},
        )
        return [app]

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """Single sign-on is the way in even when password sign-up is closed; the domain and
        tenant checks happen in ``pre_social_login``."""
        return True

    def pre_social_login(self, request, sociallogin) -> None:
        """Refuse people from another tenant, and new people from a domain that may not sign
        up. Nothing is stored before this point, so a refusal leaves no trace."""
        organisation = organisation_settings()
        sso = organisation.sso
        claims = _claims(sociallogin)
        if sso is not None and sso.allowed_tenants:
            tenant = claims.get("tid") or claims.get("hd") or ""
            if tenant not in sso.allowed_tenants:
                logger.warning("sso: refused a login from another tenant")
                raise ImmediateHttpResponse(
                    _refusal(
                        request,
                        gettext(
                            "Your account belongs to another organisation. Sign in with the "
                            "account your organisation gave you."
                        ),
                    )
                )
        emails = [address.email for address in sociallogin.email_addresses] or [
            claims.get("email") or ""
        ]
        if not sociallogin.is_existing:
            # A person the directory provisioned before their first login (matched on the
            # directory's id or their address) gets this login connected to their account.
            matched = sso_match(claims, [email for email in emails if email])
            if matched is not None and matched.is_active:
                sociallogin.connect(request, matched)
        if sociallogin.is_existing:
            sso_logged_in(sociallogin.user, claims)
        else:
            if not all(email and organisation.allows_signup_domain(email) for email in emails):
                logger.warning("sso: refused a sign-up from a domain that is not allowed")
                raise ImmediateHttpResponse(
                    _refusal(request, domain_refusal_message(organisation.allowed_signup_domains))
                )

    def save_user(self, request, sociallogin, form=None):
        """A new person from single sign-on; when staff approve new accounts, tell them."""

        user = super().save_user(request, sociallogin, form=form)
        sso_logged_in(user, _claims(sociallogin))
        if user.awaiting_approval:
            approval_request_notify(user=user)
        return user

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or "").strip()
        if name and not user.display_name:
            user.display_name = name[:150]
        return user


def _has_verified_address(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _claims(sociallogin) -> dict:
    """The identity provider's claims: the ID token's, completed by the userinfo answer."""
    extra = sociallogin.account.extra_data or {}
    claims = dict(extra.get("id_token") or {})
    claims.update(extra.get("userinfo") or {})
    return claims


def _refusal(request, message: str):
    return render(request, "account/sso_refused.html", {"message": message}, status=403)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Staff need two-factor authentication: add another method before removing this one."
        ),
    }

    def _get_site_name(self) -> str:
        return organisation_settings().name

    def encrypt(self, text: str) -> str:
        """TOTP secrets and recovery-code seeds are stored sealed under the master key."""
        return secret_encrypt(text, purpose=MFA_PURPOSE)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text, purpose=MFA_PURPOSE)

    def can_delete_authenticator(self, authenticator) -> bool:
        """Staff must keep at least one second factor (an app or a security key)."""

        primary = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
        user = authenticator.user
        if not user.is_staff or authenticator.type not in primary:
            return True
        return (
            Authenticator.objects.filter(user=user, type__in=primary)
            .exclude(pk=authenticator.pk)
            .exists()
        )
