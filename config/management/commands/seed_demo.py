"""A realistic demo organisation for development: `manage.py seed_demo` (idempotent).

Creates people with known passwords (printed at the end), communities of practice and guilds
(public and private), an intervision group, memberships with roles, upcoming and past sessions
with RSVPs, series, reminder choices, takeaways, a festival, a leermarkt with stands and a community's year plan. Each app seeds its own part in
its ``demo`` module; running it again updates the same rows instead of adding new ones, with
session times recomputed relative to today. Refuses to run unless DEBUG is on.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communities import demo as communities_demo
from events.festivals import demo as festivals_demo
from events.reminders import demo as reminders_demo
from events.series import demo as series_demo
from events.sessions import demo as sessions_demo
from events.takeaways import demo as takeaways_demo
from intervision import demo as intervision_demo
from learning import demo as learning_demo


class Command(BaseCommand):
    help = "Create or refresh the demo organisation (development only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        with transaction.atomic():
            people, communities = communities_demo.seed()
            sessions_demo.seed(people, communities)
            series_demo.seed(people, communities)
            sessions_demo.seed_variety(people, communities)
            intervision_demo.seed(people, communities)
            reminders_demo.seed(people)
            takeaways_demo.seed()
            festivals_demo.seed(people)
            festivals_demo.seed_leermarkt(people)
            learning_demo.seed(people, communities)
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Log in with:"))
        for person in communities_demo.PEOPLE:
            role = (
                " (staff: sets up two-factor authentication at first login)" if person.staff else ""
            )
            self.stdout.write(
                f"  {person.key}@{communities_demo.DEMO_DOMAIN} / "
                f"{communities_demo.DEMO_PASSWORD}{role}"
            )
