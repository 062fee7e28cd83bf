from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Sessions and messages")

    def ready(self) -> None:
        """Plug the topics into the base layer's registries: personal data, the outbox's send
        checks, and what the community pages and a person's calendar choice need from events."""
        from communities.extensions import (  # noqa: PLC0415 -- startup
            register_calendar_delivery_listener,
            register_community_panel,
            register_directory_annotation,
        )
        from events.calendar.personal_data import register_personal_data as calendar  # noqa: PLC0415 -- startup
        from events.calendar.services.subscriptions import invitations_after_delivery_change  # noqa: PLC0415 -- startup
        from events.festivals.personal_data import register_personal_data as festivals  # noqa: PLC0415 -- startup
        from events.reminders.checks import register_send_checks  # noqa: PLC0415 -- startup
        from events.reminders.personal_data import register_personal_data as reminders  # noqa: PLC0415 -- startup
        from events.series.personal_data import register_personal_data as series  # noqa: PLC0415 -- startup
        from events.sessions.personal_data import register_personal_data as sessions  # noqa: PLC0415 -- startup
        from events.sessions.selectors import (  # noqa: PLC0415 -- startup
            community_sessions_panel,
            next_session_start_subquery,
        )
        from events.takeaways.personal_data import register_personal_data as takeaways  # noqa: PLC0415 -- startup
        from events.takeaways.selectors.reading import community_takeaways_panel  # noqa: PLC0415 -- startup

        for register_personal_data in (sessions, series, takeaways, calendar, reminders, festivals):
            register_personal_data()
        register_send_checks()
        register_community_panel("sessions", community_sessions_panel)
        register_community_panel("takeaways", community_takeaways_panel)
        register_directory_annotation("next_session_start", next_session_start_subquery)
        register_calendar_delivery_listener("invitations", invitations_after_delivery_change)
