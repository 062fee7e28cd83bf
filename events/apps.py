from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Sessions and messages")

    def ready(self) -> None:
        """Plug the topics into the base layer's registries: personal data and send checks."""
        from events.calendar.personal_data import register_personal_data as calendar_data
        from events.festivals.personal_data import register_personal_data as festival_data
        from events.reminders.checks import register_send_checks
        from events.reminders.personal_data import register_personal_data as reminder_data
        from events.series.personal_data import register_personal_data as series_data
        from events.sessions.personal_data import register_personal_data as session_data
        from events.takeaways.personal_data import register_personal_data as takeaway_data

        for register in (
            session_data,
            series_data,
            takeaway_data,
            calendar_data,
            reminder_data,
            festival_data,
        ):
            register()
        register_send_checks()
