from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Sessions")

    def ready(self) -> None:
        """Plug the topics into the base layer's registries: personal data, the outbox's send
        checks, and what the community pages and a person's calendar choice need from events."""
        from communities import extensions  # noqa: PLC0415 -- startup
        from events import processing  # noqa: PLC0415 -- startup
        from events.calendar import personal_data as calendar  # noqa: PLC0415 -- startup
        from events.calendar.services import subscriptions  # noqa: PLC0415 -- startup
        from events.festivals import personal_data as festivals  # noqa: PLC0415 -- startup
        from events.reminders import checks  # noqa: PLC0415 -- startup
        from events.reminders import personal_data as reminders  # noqa: PLC0415 -- startup
        from events.series import personal_data as series  # noqa: PLC0415 -- startup
        from events.series import views as series_views  # noqa: PLC0415 -- startup
        from events.sessions import personal_data as sessions  # noqa: PLC0415 -- startup
        from events.sessions import selectors as session_selectors  # noqa: PLC0415 -- startup
        from events.sessions.services import withdrawal  # noqa: PLC0415 -- startup
        from events.takeaways import personal_data as takeaways  # noqa: PLC0415 -- startup
        from events.takeaways.selectors import reading  # noqa: PLC0415 -- startup

        for topic in (sessions, series, takeaways, calendar, reminders, festivals):
            topic.register_personal_data()
        processing.register_activities()
        checks.register_send_checks()
        extensions.register_community_panel("sessions", session_selectors.community_sessions_panel)
        extensions.register_community_panel("takeaways", reading.community_takeaways_panel)
        extensions.register_directory_annotation(
            "next_session_start", session_selectors.next_session_start_subquery
        )
        extensions.register_calendar_delivery_listener(
            "invitations", subscriptions.invitations_after_delivery_change
        )
        extensions.register_access_listener("sessions", withdrawal.sessions_access_changed)
        extensions.register_invitation_offer(
            "series", series_views.invitation_series_offer, series_views.invitation_series_answer
        )
        extensions.register_withdrawal(
            "sessions",
            preview=withdrawal.sessions_withdrawal_preview,
            withdraw=withdrawal.sessions_withdraw,
        )
