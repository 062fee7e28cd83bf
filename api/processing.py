"""The API's processing activities for the processing register (communities.register)."""

from django.utils.translation import gettext_lazy as _

from communities.organisation import OrganisationSettings
from communities.register.activities import Activity, register_activity


def _tokens(_org: OrganisationSettings) -> str:
    return str(
        _(
            "Until the token expires or is revoked (at most a year), and at the latest until "
            "the account is erased; replay keys for writes a day."
        )
    )


def register_activities() -> None:
    register_activity(
        Activity(
            code="api",
            title=_("API tokens and webhooks"),
            purpose=_(
                "Let the organisation's other systems read and act on a person's behalf, and "
                "tell subscribed systems what changed."
            ),
            subjects=_(
                "People who make personal access tokens; staff and coordinators who "
                "register webhook endpoints."
            ),
            audience=_(
                "The person (their tokens); staff (service tokens, organisation endpoints); "
                "coordinators (their community's endpoints). Webhook payloads carry ids, never "
                "names or e-mail addresses."
            ),
            retention=_tokens,
            sections=("api_tokens", "api_idempotency_keys", "webhook_subscriptions"),
            safeguards=_("Tokens stored only as a hash, shown once; payloads signed."),
        )
    )
