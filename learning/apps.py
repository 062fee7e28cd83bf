from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning on the job")

    def ready(self) -> None:
        """Plug workplace learning into the registries below it: personal data and the outbox's
        send checks (a journey reminder for a step already done is not sent), the articles panels
        of the community page and the session page, and which links to articles (a leermarkt
        stand's material) a person may follow."""
        from communities import extensions  # noqa: PLC0415 -- startup
        from events import extensions as event_extensions  # noqa: PLC0415 -- startup
        from learning import processing  # noqa: PLC0415 -- startup
        from learning.articles.selectors import (  # noqa: PLC0415 -- startup
            community_articles_panel,
            hidden_article_links,
            session_articles_panel,
        )
        from learning.checks import register_send_checks  # noqa: PLC0415 -- startup
        from learning.personal_data import register_learning  # noqa: PLC0415 -- startup

        register_learning()
        processing.register_activities()
        register_send_checks()
        extensions.register_community_panel("articles", community_articles_panel)
        event_extensions.register_session_panel("articles", session_articles_panel)
        event_extensions.register_link_guard("articles", hidden_article_links)
