"""Deactivate leavers by e-mail address: ``manage.py deactivate_people --by STAFF EMAIL...``.

For offboarding scripts (an HR export, the identity provider's list of disabled accounts): the
same service as the staff's "Deactivate" button, so feed tokens die and pending mail is skipped.
Prints, per person, the communities that need a new coordinator. Safe to run again.
"""

from django.core.management.base import BaseCommand, CommandError

from communities.errors import DomainError
from communities.models import User
from communities.services.accounts import user_deactivate


class Command(BaseCommand):
    help = "Deactivate people who left the organisation (by e-mail address)."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", help="e-mail addresses of the leavers")
        parser.add_argument(
            "--by", required=True, help="e-mail address of the staff member doing this"
        )

    def handle(self, *args, emails, by, **options):
        actor = User.objects.filter(email__iexact=by, is_staff=True, is_active=True).first()
        if actor is None:
            raise CommandError(f"{by} is not an active staff member.")
        failures = 0
        for email in emails:
            person = User.objects.filter(email__iexact=email.strip()).first()
            if person is None:
                self.stderr.write(f"{email}: no such person")
                failures += 1
                continue
            try:
                handover = user_deactivate(actor=actor, user=person)
            except DomainError as error:
                self.stderr.write(f"{email}: {error.message}")
                failures += 1
                continue
            names = ", ".join(community.name for community in handover)
            self.stdout.write(
                f"{person.email}: deactivated"
                + (f"; needs a new coordinator: {names}" if names else "")
            )
        if failures:
            raise CommandError(f"{failures} address(es) not deactivated.")
