"""A realistic demo organisation for development: `manage.py seed_demo` (idempotent).

Creates people with known passwords (printed at the end), communities of practice and guilds
(public and private), an intervision group, memberships with roles, upcoming and past sessions
with RSVPs, series, reminder choices, takeaways, a festival, a leermarkt with stands, a
community's year plan, knowledge articles, and questions, wishes and a date poll with the
colleagues who opted in as experts. Each app seeds its own part in
its ``demo`` module; running it again updates the same rows instead of adding new ones, with
session times recomputed relative to today. Refuses to run unless DEBUG is on.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communities import demo as communities_demo
from communities.models import Membership
from events.festivals import demo as festivals_demo
from events.models import Festival
from events.reminders import demo as reminders_demo
from events.series import demo as series_demo
from events.sessions import demo as sessions_demo
from events.takeaways import demo as takeaways_demo
from intervision import demo as intervision_demo
from knowledge import demo as knowledge_demo
from learning import demo as learning_demo
from learning.articles import demo as articles_demo


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
            knowledge_demo.seed()
            articles_demo.seed(people, communities)
            festivals_demo.seed_leermarkt(people)
            learning_demo.seed(people, communities)
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Log in with:"))
        for person in communities_demo.PEOPLE:
            email = f"{person.key}@{communities_demo.DEMO_DOMAIN}"
            roles = demo_roles(email)
            if person.staff:
                roles.insert(0, "staff: sets up two-factor authentication at first login")
            described = f"  ({'; '.join(roles)})" if roles else "  (member)"
            self.stdout.write(f"  {email} / {communities_demo.DEMO_PASSWORD}{described}")


def demo_roles(email: str) -> list[str]:
    """Who coordinates, facilitates or organises what, read back from what the seed made."""
    leads = Membership.objects.filter(
        user__email=email,
        state=Membership.State.ACTIVE,
        role__in=[Membership.Role.COORDINATOR, Membership.Role.FACILITATOR],
    ).select_related("community")
    by_role: dict[str, list[str]] = {}
    for membership in leads.order_by("community__name"):
        by_role.setdefault(membership.role, []).append(membership.community.name)
    roles = []
    if names := by_role.get(Membership.Role.COORDINATOR):
        roles.append("coordinates " + ", ".join(names))
    if names := by_role.get(Membership.Role.FACILITATOR):
        roles.append("facilitates " + ", ".join(names))
    festivals = Festival.objects.filter(organisers__email=email).order_by("name")
    if names := [festival.name for festival in festivals]:
        roles.append("organises " + ", ".join(names))
    return roles
