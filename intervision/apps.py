from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntervisionConfig(AppConfig):
    name = "intervision"
    verbose_name = _("Intervision")

    def ready(self) -> None:
        from intervision.notifications import register_send_checks
        from intervision.personal_data import register_intervision

        register_intervision()
        register_send_checks()
