from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project itself, above the three apps: it composes them (URLs, the home page, the
    health check, the demo) and is the only place allowed to import all of them."""

    name = "config"
    label = "project"
    verbose_name = "Kennisplein"
