from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Wie weet wat")

    def ready(self) -> None:
        """Plug "wie weet wat" into the registries below it: personal data, the outbox's send
        checks, the weekly digest and what a kept answer's takeaway links back to."""
        from events.reminders import extensions as reminders  # noqa: PLC0415 -- startup
        from events.takeaways import extensions as takeaways  # noqa: PLC0415 -- startup
        from knowledge import (  # noqa: PLC0415 -- startup
            checks,
            personal_data,
            processing,
        )
        from knowledge.selectors import notifications  # noqa: PLC0415 -- startup
        from knowledge.services import questions  # noqa: PLC0415 -- startup

        personal_data.register_personal_data()
        processing.register_activities()
        checks.register_send_checks()
        reminders.register_digest_section("knowledge", notifications.digest_section)
        takeaways.register_takeaway_source("answer", questions.takeaway_source)
