from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntervisionConfig(AppConfig):
    name = "intervision"
    verbose_name = _("Intervision")

    def ready(self) -> None:
        """Plug intervision into the registries below it: personal data, the outbox's send
        checks, the recognition counts, new occurrences of a group's series, retention, and taking
        a person out of the rotas when they leave."""
        from communities import extensions  # noqa: PLC0415 -- startup
        from events.series import extensions as series  # noqa: PLC0415 -- startup
        from events.takeaways import extensions as takeaways  # noqa: PLC0415 -- startup
        from intervision import processing  # noqa: PLC0415 -- startup
        from intervision.notifications import register_send_checks  # noqa: PLC0415 -- startup
        from intervision.personal_data import register_intervision  # noqa: PLC0415 -- startup
        from intervision.selectors import cases_brought_by  # noqa: PLC0415 -- startup
        from intervision.services import retention, scheduling  # noqa: PLC0415 -- startup

        register_intervision()
        processing.register_activities()
        register_send_checks()
        retention.register_pruners()
        series.register_occurrences_listener(
            "intervision", scheduling.intervision_sides_for_occurrences
        )
        takeaways.register_contribution_count("cases_brought", cases_brought_by)
        extensions.register_withdrawal(
            "intervision",
            preview=scheduling.intervision_withdrawal_preview,
            withdraw=scheduling.intervision_withdraw,
        )
