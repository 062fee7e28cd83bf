from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory sync")

    def ready(self) -> None:
        """Plug into the base layer: personal data, the processing register, and single
        sign-on (matching a first login to a provisioned person; the groups claim)."""
        from directory import personal_data, processing, sso  # noqa: PLC0415 -- startup

        personal_data.register_personal_data()
        processing.register_activities()
        sso.register_sso_hooks()
