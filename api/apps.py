from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API and webhooks")

    def ready(self) -> None:
        """Plug into the base layer: personal data (tokens, webhook subscriptions) and the
        change registry the write paths report to (webhook events)."""
        from api import personal_data, processing  # noqa: PLC0415 -- startup
        from api.webhooks import events  # noqa: PLC0415 -- startup

        personal_data.register_personal_data()
        processing.register_activities()
        events.register_change_listener()
