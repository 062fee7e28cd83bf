from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Sessions and messages")

    def ready(self) -> None:
        from events.personal_data import register_events, register_festivals

        register_events()
        # Registers the reminder kinds' send checks (issue 8).
        import events.services.reminders  # noqa: F401

        register_festivals()  # issue 10
