from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        """Fill the personal-data registry with what the base layer holds about a person, and
        the retention registry with its pruners and the processing register with what it is for."""
        from communities.audit import personal_data as audit  # noqa: PLC0415 -- startup
        from communities.mail import personal_data as mail  # noqa: PLC0415 -- startup
        from communities.personal_data import register_core  # noqa: PLC0415 -- startup
        from communities.register import activities  # noqa: PLC0415 -- startup
        from communities.services.retention import register_pruners  # noqa: PLC0415 -- startup

        register_core()
        register_pruners()
        mail.register_personal_data()
        audit.register_personal_data()
        activities.register_core()
